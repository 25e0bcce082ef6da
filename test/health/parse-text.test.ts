import test from 'ava';
import fc from 'fast-check';
import { parseText } from '../../src/health/parse-text.js';
import { fixture } from '../helpers/fixtures.js';
import { holds } from './builders.js';

const read = (name: string, zone = 'UTC') => parseText(fixture(`zpool-status/${name}`), zone);
const only = (name: string, zone = 'UTC') => {
  const { pools } = read(name, zone);
  if (pools.length !== 1 || !pools[0]) throw new Error(`${name}: ${pools.length} pools`);
  return pools[0];
};
const nonZero = (name: string) => only(name).devices.filter((d) => d.read + d.write + d.cksum > 0).map((d) => `${d.name} ${d.read}/${d.write}/${d.cksum}`);

test('zfs-fuse: healed checksum errors, the amount repaired from the device note', (t) => {
  const pool = only('fuse-mirror-scrub-healed-checksum-errors.txt');
  t.like(pool, { name: 'zbkh_m', state: 'ONLINE', status_id: 'ZFS-8000-9P', data_errors: 0, unknown_lines: [] });
  t.like(pool.scan, { function: 'scrub', state: 'finished', repaired_bytes: 100_977_869, errors: 0, end_time: '2026-11-27T03:55:40Z' });
  t.deepEqual(nonZero('fuse-mirror-scrub-healed-checksum-errors.txt'), ['/tmp/zbkh/d2 0/0/868']);
  t.is(pool.status, 'One or more devices has experienced an unrecoverable error. An attempt was made to correct the error. Applications are unaffected.');
});

test('zfs-fuse: permanent errors in snapshot files, and the same pool without -v', (t) => {
  const listed = only('fuse-single-permanent-errors-snapshot-files-v.txt');
  t.like(listed, { data_errors: 7, permanent_errors: true, status_id: 'ZFS-8000-8A' });
  t.is(listed.error_files[0], 'zbkh_s/fs@zbk_2026-11-26T030000Z:/file1');
  t.like(listed.scan, { errors: 303, repaired_bytes: 225_280 });
  t.like(only('fuse-single-data-errors-count.txt'), { data_errors: 301, permanent_errors: false, error_files: [] });
});

test('zfs-fuse: a spare took over an UNAVAIL disk; the spares section says INUSE', (t) => {
  const pool = only('fuse-unavail-cannot-open-degraded.txt');
  t.is(pool.state, 'DEGRADED');
  t.like(pool.scan, { function: 'resilver', state: 'finished', repaired_bytes: 458_752 });
  t.deepEqual(
    pool.devices.map((d) => `${d.group} ${d.role} ${d.name} ${d.state}`),
    [
      'data pool zbkh_g DEGRADED',
      'data vdev mirror-0 DEGRADED',
      'data leaf /tmp/zbkh/g1 ONLINE',
      'data leaf /tmp/zbkh/g2 ONLINE',
      'data vdev spare-2 DEGRADED',
      'data leaf 15343873944259907481 UNAVAIL',
      'data leaf /tmp/zbkh/gspare ONLINE',
      'logs leaf /tmp/zbkh/glog ONLINE',
      'spares leaf /tmp/zbkh/gspare INUSE',
    ],
  );
  t.is(pool.devices[5]?.note, 'was /tmp/zbkh/g3');
});

test('zfs-fuse: never scrubbed, and two pools in one output', (t) => {
  t.like(only('fuse-mirror-healthy-never-scrubbed.txt').scan, { function: 'none', state: 'none' });
  t.deepEqual(
    read('fuse-multipool-mirror-and-permanent-errors.txt').pools.map((p) => [p.name, p.scan.function, p.data_errors]),
    [
      ['zbkh_m', 'resilver', 0],
      ['zbkh_s', 'scrub', 7],
    ],
  );
});

test('zpool status -x: one healthy pool, all healthy, none imported', (t) => {
  t.deepEqual(read('fuse-status-x-pool-healthy.txt'), { pools: [], notes: ["pool 'zbkh_m' is healthy"], unknown_lines: [] });
  t.deepEqual(read('status-x-all-pools-healthy.txt'), { pools: [], notes: ['all pools are healthy'], unknown_lines: [] });
  t.deepEqual(read('no-pools-available.txt'), { pools: [], notes: ['no pools available'], unknown_lines: [] });
});

test('OpenZFS 2.2: dedup, special, logs, cache and spares sections, a scrub running', (t) => {
  const pool = only('openzfs-2.2-groups-dedup-special-logs-cache-spares-scrub-running.txt');
  t.deepEqual(
    [...new Set(pool.devices.map((d) => d.group))],
    ['data', 'dedup', 'special', 'logs', 'cache', 'spares'],
  );
  t.like(pool.scan, { state: 'in_progress', progress: 30, eta: '01:36:29', start_time: '2026-11-26T21:05:17Z' });
  t.deepEqual(pool.unknown_lines, []);
});

test('OpenZFS 2.2: a paused scrub, and a SLOW column with a resilver running', (t) => {
  t.like(only('openzfs-2.2-scrub-paused.txt').scan, { state: 'paused', start_time: '2026-11-26T21:05:17Z' });
  const slow = only('openzfs-2.2-slow-column-resilver-running.txt');
  t.deepEqual(slow.unknown_lines, []);
  t.is(slow.devices.at(-1)?.note, '(resilvering)');
});

test('ZoL 0.6: progress as "scanned out of"', (t) => {
  t.like(only('zol-0.6-scrub-in-progress-scanned-out-of.txt').scan, { state: 'in_progress', progress: 17.79, eta: '5h36m', repaired_bytes: 0 });
});

test('FreeBSD 12 legacy ZFS: gpt labels, read errors, an illumos see: URL', (t) => {
  const pool = only('freebsd-12-legacy-read-errors-scrub-repaired.txt');
  t.is(pool.status_id, 'ZFS-8000-9P');
  t.like(pool.scan, { repaired_bytes: 12_288 });
  t.deepEqual(nonZero('freebsd-12-legacy-read-errors-scrub-repaired.txt'), ['gpt/disk0 3/0/0']);
});

test('Solaris: scrub: lines, an unnumbered mirror, a non-root run without the error list', (t) => {
  t.like(only('solaris-10-scrub-in-progress-for.txt').scan, { state: 'in_progress', progress: 12.34 });
  const [tank, rpool] = read('solaris-multipool-resilver-completed-scrub-stopped-nonroot.txt').pools;
  t.like(tank, { data_errors: null, unknown_lines: [] });
  t.like(tank?.scan, { function: 'resilver', repaired_bytes: 1_095_216_660 });
  t.like(rpool?.scan, { function: 'scrub', state: 'canceled' });
});

test('OpenZFS on Windows: CRLF line ends', (t) => {
  const pool = only('windows-openzfs-2.2-crlf-physicaldrive.txt');
  t.deepEqual(pool.devices.map((d) => d.name), ['tank', 'mirror-0', 'physicaldrive1', 'physicaldrive2']);
  t.like(pool, { state: 'ONLINE', data_errors: 0, unknown_lines: [] });
});

test('times without a zone are read in the zone given', (t) => {
  t.is(only('windows-openzfs-2.2-crlf-physicaldrive.txt', 'America/New_York').scan.end_time, '2026-11-26T08:00:41Z');
  t.is(only('windows-openzfs-2.2-crlf-physicaldrive.txt', 'Europe/Athens').scan.end_time, '2026-11-26T01:00:41Z');
});

test('a ZED mail header and a -T timestamp before the first pool are understood', (t) => {
  t.deepEqual(only('zed-scrub-finish-mail.txt').unknown_lines, []);
  t.like(only('openzfs-2.x-T-d-suspended-removed.txt'), { state: 'SUSPENDED', status_id: 'ZFS-8000-HC', data_errors: 2, unknown_lines: [] });
});

test('colour codes (ZFS_COLOR) are dropped', (t) => {
  const pool = parseText('  \x1b[1mpool:\x1b[0m tank\n \x1b[1mstate: \x1b[0m\x1b[32mONLINE\x1b[0m\n', 'UTC').pools[0];
  t.like(pool, { name: 'tank', state: 'ONLINE' });
});

test('lines not understood are kept with their pool, sorted by whether trouble could hide in them', (t) => {
  const { pools, unknown_lines } = parseText(
    [
      "cannot open 'gone': no such pool", 'a stray line', '  pool: tank', ' state: ONLINE', '  wibble: on', '\tmore wibble',
      'config:', '', '\tNAME STATE READ WRITE CKSUM', '\ttank ONLINE 0 0 0', '\t  ada0 SPINNING 0 0 0', '', 'errors: No known data errors', '\tbut one',
      'errors: Permanent errors have been detected in the following files:', '', '\ttank/a:/x', 'errors: wibble', '\tada9 FAULTED 0 0 0',
    ].join('\n'),
    'UTC',
  );
  t.deepEqual(unknown_lines, []);
  t.deepEqual(pools[0]?.unknown_lines, ["cannot open 'gone': no such pool", 'ada0 SPINNING 0 0 0', 'wibble', 'ada9 FAULTED 0 0 0']);
  t.deepEqual(pools[0]?.unfamiliar_lines, ['a stray line', 'wibble: on', 'more wibble', 'but one']);
});

test('with no pool at all, what was not understood is kept for the output as a whole', (t) => {
  t.deepEqual(parseText('zpool: command not found\n', 'UTC'), { pools: [], notes: [], unknown_lines: ['zpool: command not found'] });
  t.deepEqual(parseText('', 'UTC'), { pools: [], notes: [], unknown_lines: [] });
});

test('a pool block without a state line says UNKNOWN', (t) => {
  t.is(parseText('  pool: tank\nconfig:\n', 'UTC').pools[0]?.state, 'UNKNOWN');
});

test('the parser never throws, whatever the text', (t) => {
  holds(t, fc.property(fc.string({ unit: 'binary' }), (text) => Array.isArray(parseText(text, 'UTC').pools)));
});

test('the parser never throws on real outputs with lines dropped, repeated or swapped', (t) => {
  const lines = ['fuse-unavail-cannot-open-degraded.txt', 'openzfs-2.2-scrub-paused.txt', 'solaris-multipool-resilver-completed-scrub-stopped-nonroot.txt']
    .map((name) => fixture(`zpool-status/${name}`))
    .join('\n')
    .split('\n');
  holds(
    t,
    fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 80 }), (picked) => {
      const parsed = parseText(picked.join('\n'), 'UTC');
      return parsed.pools.every((p) => p.devices.every((d) => Number.isFinite(d.read + d.write + d.cksum)));
    }),
  );
});

/** A pool block whose `errors:` section lists `n` damaged files of about 120 bytes a line. */
function permanentErrors(n: number): string {
  const head = '  pool: tank\n state: ONLINE\n  scan: none requested\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t  ada0 ONLINE 0 0 0\n\n';
  const lines = Array.from({ length: n }, (_, i) => `        tank/fs@zbk_2026-11-26T030000Z:/srv/data/${'x'.repeat(64)}/file${i}`);
  return `${head}errors: Permanent errors have been detected in the following files:\n\n${lines.join('\n')}\n`;
}

test('a million permanent-error lines (over 100 MB) read in one pass: the full count, a capped list', (t) => {
  const text = permanentErrors(1_000_000);
  t.true(text.length > 100_000_000);
  const started = performance.now();
  const [pool] = parseText(text, 'UTC').pools;
  const ms = performance.now() - started;
  t.is(pool?.data_errors, 1_000_000);
  t.is(pool?.error_files.length, 1000);
  t.deepEqual(pool?.unknown_lines, []);
  t.true(ms < 10_000, `${Math.round(ms)} ms`); // about 0.5 s here (bench/README.md)
});

test('lines with long runs of blanks are read in linear time (no lazy match before trailing blanks)', (t) => {
  const blanks = ' '.repeat(200_000);
  const tabs = '\t'.repeat(200_000);
  const text = [
    `  pool: tank${blanks}x`, ` state: ONLINE${tabs}`, 'config:', '', '\tNAME STATE READ WRITE CKSUM',
    `\ttank${blanks}ONLINE${tabs}0${blanks}0 0${blanks}note${tabs}more${blanks}`, `\t  ada0 ONLINE 0 0 0${tabs}y${tabs}`, '', 'errors: No known data errors', '',
  ].join('\n');
  const started = performance.now();
  const [pool] = parseText(text, 'UTC').pools;
  t.true(performance.now() - started < 2000, `${Math.round(performance.now() - started)} ms`);
  t.is(pool?.state, 'ONLINE');
  t.is(pool?.devices[0]?.note, `note${tabs}more`);
  t.is(pool?.name, `tank${blanks}x`);
  t.deepEqual(pool?.unknown_lines, []);
});

// Every wording, every release (issue #12, item 2): each fixture's origin is in fixtures/README.md.

test('raidz expansion in progress (OpenZFS 2.3, issue #16803): the expand: lines are known, the resilver before it is read', (t) => {
  const pool = only('openzfs-2.3-expand-in-progress-after-resilver-issue-16803.txt');
  t.like(pool, { state: 'ONLINE', data_errors: 0, unknown_lines: [], unfamiliar_lines: [] });
  t.like(pool.scan, { function: 'resilver', state: 'finished', errors: 0, end_time: '2024-11-21T02:51:56Z' });
  t.is(pool.devices.length, 7);
});

test('zpool status -t (ZoL 0.8, PR #8419): trim annotations are device notes', (t) => {
  const [busy, unsupported] = read('zol-0.8-trim-t-started-unsupported-pr-8419.txt').pools;
  t.is(busy?.devices[1]?.note, '(0% trimmed, started at Thu 21 Feb 2019 07:32:44 PM UTC)');
  t.is(unsupported?.devices[1]?.note, '(trim unsupported)');
  t.deepEqual([busy?.unknown_lines, busy?.unfamiliar_lines, unsupported?.unknown_lines], [[], [], []]);
});

test('checkpoint: lines, device removal in progress and finished, an indirect vdev', (t) => {
  t.like(only('openzfs-2.x-checkpoint-created-zfswatcher-16.txt'), { unknown_lines: [], unfamiliar_lines: [], data_errors: 0 });
  const removing = only('openzfs-2.1-remove-evacuation-indirect-checkpoint-discarding.txt');
  t.like(removing, { unknown_lines: [], unfamiliar_lines: [] });
  t.like(removing.scan, { function: 'scrub', state: 'finished', end_time: '2026-11-22T00:41:08Z' });
  t.deepEqual(removing.devices.map((d) => `${d.name} ${d.role}`), ['tank pool', 'mirror-0 vdev', 'sda leaf', 'sdb leaf', 'indirect-1 leaf', 'sdc leaf']);
  t.like(only('openzfs-2.2-remove-completed-indirect.txt'), { unknown_lines: [], unfamiliar_lines: [] });
});

test('an error scrub (OpenZFS 2.2 `zpool scrub -e`) is understood, and is no scrub of the pool', (t) => {
  const done = only('openzfs-2.2-error-scrub-scrubbed-error-blocks.txt');
  t.like(done, { unknown_lines: [], unfamiliar_lines: [], scan: { function: 'none', end_time: null } });
  const paused = only('openzfs-2.2-error-scrub-paused.txt');
  t.like(paused, { unknown_lines: [], unfamiliar_lines: [], data_errors: 3 });
});

test('the first Solaris releases: scrub and resilver completed, scrub stopped, without "after"', (t) => {
  const [tank, home, scratch] = read('solaris-10-0606-scrub-completed-without-after.txt').pools;
  t.like(tank, { unknown_lines: [], unfamiliar_lines: [], scan: { function: 'scrub', state: 'finished', errors: 0, end_time: '2006-05-30T10:11:12Z', repaired_bytes: 0 } });
  t.like(home?.scan, { function: 'resilver', state: 'finished', end_time: '2006-05-30T09:02:40Z' });
  t.like(scratch, { unknown_lines: [], scan: { function: 'scrub', state: 'canceled', end_time: '2006-05-29T23:00:01Z' } });
});

test('ZoL 0.7: a paused scrub prints "scanned out of" without a rate or a time', (t) => {
  const pool = only('zol-0.7-scrub-paused-scanned-out-of.txt');
  t.like(pool, { unknown_lines: [], unfamiliar_lines: [] });
  t.like(pool.scan, { function: 'scrub', state: 'paused', progress: 34.29, repaired_bytes: 0, start_time: '2026-11-26T21:05:17Z' });
});

test('a decimal-comma locale: progress, sizes and counters with commas; a localised -T d date is only shown', (t) => {
  const pool = only('openzfs-2.2-de-locale-T-d-decimal-commas.txt');
  t.like(pool.scan, { state: 'in_progress', progress: 31.43, repaired_bytes: 13_107_200, eta: '06:21:40' });
  t.deepEqual(nonZero('openzfs-2.2-de-locale-T-d-decimal-commas.txt'), ['ada0 0/0/1229']);
  t.like(pool, { unknown_lines: [], unfamiliar_lines: ['Di 1. Dez 04:15:27 UTC 2026'] });
});

test('-s -p -P -i -t -D: SLOW column, exact counters, full paths, initialize and trim notes, the DDT summary and histogram', (t) => {
  const pool = only('openzfs-2.2-s-p-P-i-t-D-dedup-table.txt');
  t.like(pool, { unknown_lines: [], unfamiliar_lines: [], data_errors: 0 });
  t.deepEqual(nonZero('openzfs-2.2-s-p-P-i-t-D-dedup-table.txt'), ['/dev/disk/by-id/ata-WDC_WD80EFZX-68UW8N0_R6GJ1-part1 0/0/1234']);
  t.is(pool.devices[3]?.note, '(100% initialized, completed at Mon 02 Mar 2026 11:20:04 AM UTC) (100% trimmed, completed at Sun 29 Nov 2026 03:01:12 AM UTC)');
  t.deepEqual(pool.devices.filter((d) => d.group === 'special').map((d) => d.note), [null, '(uninitialized) (12% trimmed, started at Tue 01 Dec 2026 04:00:00 AM UTC)', '(uninitialized) (trim unsupported)']);
});

test('-g guids as names; the encryption errata text is the status', (t) => {
  const pool = only('openzfs-2.1-g-L-guids-errata-4-encryption.txt');
  t.like(pool, { unknown_lines: [], unfamiliar_lines: [], status_id: 'ZFS-8000-ER' });
  t.regex(pool.status ?? '', /^Errata #4 detected\. Existing encrypted snapshots/);
  t.deepEqual(pool.devices.map((d) => d.name), ['tank', '13795431427911271316', '4529961547634843547', '16294730201377395018']);
});

test('the Oracle Solaris ZFS guide: a resilver in progress; device rows without a config: line are not understood', (t) => {
  const pool = only('solaris-10-resilver-in-progress-replacing-oracle-docs.txt');
  t.like(pool, { state: 'DEGRADED', unknown_lines: [], scan: { function: 'resilver', state: 'in_progress', progress: 22.6 } });
  t.is(pool.devices.find((d) => d.name === 'c2t0d0')?.note, '85.0M resilvered');
  const cut = only('solaris-10-no-config-line-no-errors-line-oracle-docs.txt');
  t.like(cut, { devices: [], data_errors: null, unfamiliar_lines: [] });
  t.is(cut.unknown_lines.length, 7);
});

test('a header zbk does not know (a trim: line) is unfamiliar, the lines under it are sorted', (t) => {
  const text = ['  pool: tank', ' state: ONLINE', '  trim: completed on Sun Nov 29 03:01:12 2026', '\tada0 FAULTED 0 0 0', 'config:', '', 'errors: No known data errors'].join('\n');
  t.like(parseText(text, 'UTC').pools[0], { unfamiliar_lines: ['trim: completed on Sun Nov 29 03:01:12 2026'], unknown_lines: ['ada0 FAULTED 0 0 0'] });
});

test('a scan line zbk cannot read is unfamiliar, unless it counts errors', (t) => {
  const scanOf = (line: string) => parseText(`  pool: tank\n state: ONLINE\n  scan: ${line}\nconfig:\n\nerrors: No known data errors\n`, 'UTC').pools[0];
  t.like(scanOf('scrub verified 12G in 1 hour with 0 errors'), { unfamiliar_lines: ['scrub verified 12G in 1 hour with 0 errors'], unknown_lines: [] });
  t.like(scanOf('scrub verified 12G in 1 hour with 3 errors'), { unfamiliar_lines: [], unknown_lines: ['scrub verified 12G in 1 hour with 3 errors'] });
});

test('the Markdown fences of a pasted output are decoration, inside the config table too', (t) => {
  const text = ['```', '  pool: tank', ' state: ONLINE', '  scan: none requested', 'config:', '', '```text', '\tNAME STATE READ WRITE CKSUM', '\ttank ONLINE 0 0 0', '~~~', '', 'errors: No known data errors', '```'].join('\n');
  t.like(parseText(text, 'UTC').pools[0], { unknown_lines: [], unfamiliar_lines: [], data_errors: 0, devices: [{ name: 'tank' }] });
});

test('a real decimal-comma scan (ZoL 0.7.11, issue #8611): slow, past 100%', (t) => {
  const pool = only('zol-0.7-decimal-comma-scan-slow-issue-8611.txt');
  t.like(pool, { unknown_lines: [], unfamiliar_lines: [], scan: { function: 'scrub', state: 'in_progress', progress: 100.09, repaired_bytes: 0 } });
});

test('a canceled scrub, a date line, then the new scrub (ZoL 0.8, issue #7720)', (t) => {
  const [before, after] = read('zol-0.8-scrub-canceled-then-running-issue-7720.txt').pools;
  t.like(before, { unknown_lines: [], unfamiliar_lines: [], scan: { function: 'scrub', state: 'canceled', end_time: '2018-07-16T16:30:35Z' } });
  t.like(after, { unknown_lines: [], unfamiliar_lines: [], scan: { state: 'in_progress', progress: 100.33, eta: '167416 days 14:45:42', start_time: '2018-07-16T16:30:38Z' } });
});

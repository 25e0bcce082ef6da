import test from 'ava';
import { NO_SCAN } from '../../../src/health/model.js';
import { parse } from '../../../src/health/parse.js';
import { renderText } from '../../../src/health/render/text.js';
import { buildReport } from '../../../src/health/report.js';
import { fixture } from '../../helpers/fixtures.js';
import { device, NOW, pool, scan, THRESHOLDS, withLeaf } from '../builders.js';

const fromFixture = (name: string) => buildReport(parse(fixture(`zpool-status/${name}`), name.endsWith('.json') ? 'json' : 'text', 'UTC'), new Map(), { ...THRESHOLDS, maxAgeMs: null }, NOW);

test('a pool with healed errors: the finding and what to do first, then what is new, then the last scan and the device', (t) => {
  t.is(
    renderText(fromFixture('fuse-mirror-scrub-healed-checksum-errors.txt'), NOW),
    `zbk pool health: WARNING

- zbkh_m: /tmp/zbkh/d2 healed 868 checksum errors (96.3M repaired) in the scrub of 2026-11-27 — check the storage under /tmp/zbkh/d2, then run \`zpool clear zbkh_m\`

new since the last report:
  * zbkh_m: first report of this pool, warning

zbkh_m: ONLINE, WARNING
  last scan: scrub finished 2026-11-27T03:55:40Z, repaired 96.3M, 0 errors
  devices that need a look:
    NAME          STATE   READ  WRITE  CKSUM
    /tmp/zbkh/d2  ONLINE     0      0    868  96.3M repaired
`,
  );
});

test('when every pool is fine, one line a pool: state, last scrub and its age, capacity, and what is worth a note', (t) => {
  const pools = [
    pool(),
    pool({ name: 'backup', capacity: 43, scan: scan({ end_time: '2026-11-26T06:00:00Z' }) }),
    pool({ name: 'home', scan: scan({ state: 'in_progress', end_time: null, progress: 45 }) }),
    pool({ name: 'new', scan: NO_SCAN }),
  ];
  t.is(
    renderText(buildReport({ pools, notes: [], unknown_lines: [] }, new Map(), { ...THRESHOLDS, maxAgeMs: null }, NOW), NOW),
    `zbk pool health: OK

tank: ONLINE, last scrub 2026-11-20 (7 days ago)
backup: ONLINE, last scrub 2026-11-26 (1 day ago), capacity 43%
home: ONLINE, no finished scrub on record, scrub in progress, 45% done
new: ONLINE, no finished scrub on record
`,
  );
});

test('when not, the findings of every pool first, most severe first whichever pool, then the pools in trouble, then a line for each that is fine', (t) => {
  const pools = [
    withLeaf(device('ada1', { cksum: 3 }), { name: 'first' }),
    pool({ name: 'fine', capacity: 12 }),
    pool({ name: 'second', data_errors: 2 }),
  ];
  const text = renderText(buildReport({ pools, notes: [], unknown_lines: [] }, null, THRESHOLDS, NOW), NOW);
  t.is(
    text,
    `zbk pool health: CRITICAL

- second: 2 data errors — list the damaged files with \`zpool status -v second\`, restore them from backup, then run \`zpool clear second\`
- first: ada1 healed 3 checksum errors — check the disk (smartctl -a /dev/ada1), then run \`zpool clear first\`

first: ONLINE, WARNING
  last scan: scrub finished 2026-11-20T04:00:00Z, repaired 0B, 0 errors
  devices that need a look:
    NAME  STATE   READ  WRITE  CKSUM
    ada1  ONLINE     0      0      3

second: ONLINE, CRITICAL
  last scan: scrub finished 2026-11-20T04:00:00Z, repaired 0B, 0 errors

fine: ONLINE, last scrub 2026-11-20 (7 days ago), capacity 12%
`,
  );
});

test('permanent errors list their files; a running resilver and the rebuilds of dRAID are shown', (t) => {
  const text = renderText(fromFixture('fuse-single-permanent-errors-snapshot-files-v.txt'), NOW);
  t.true(text.includes('  files with permanent errors:\n    zbkh_s/fs@zbk_2026-11-26T030000Z:/file1\n'));
  const json = renderText(buildReport(parse(fixture('zpool-status/openzfs-2.3-json-int-draid-rebuild-cant-open.json'), 'json', 'UTC'), new Map(), THRESHOLDS, NOW), NOW);
  t.true(json.includes('  last scan: resilver of draid1:3d:5c:1s-0 in progress since 2026-11-27T01:12:40Z, resilvered 128G\n'));
  t.true(json.includes('  capacity: 36%\n'));
});

test('no pool: what zpool said, what was not understood, or that there was nothing', (t) => {
  t.is(renderText(fromFixture('status-x-all-pools-healthy.txt'), NOW), 'zbk pool health: OK\n\nall pools are healthy\n');
  t.is(renderText(buildReport({ pools: [], notes: [], unknown_lines: ['zpool: not found'] }, new Map(), THRESHOLDS, NOW), NOW), 'zbk pool health: UNKNOWN\n\nnot understood: zpool: not found\n');
  t.is(renderText(buildReport({ pools: [], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW), NOW), 'zbk pool health: UNKNOWN\n\nno zpool status output to read\n');
});

test('names, notes, files and lines from outside are printed escaped: no terminal sequence, no bidi override', (t) => {
  const hostile = pool({
    name: 'tank\x1b]0;owned\x07',
    devices: [device('tank', { depth: 0, role: 'pool' }), device('ada1\x1b[2J', { cksum: 3, note: 'repaired\u202e' })],
    data_errors: 1,
    error_files: ['tank/fs:/etc/\x1b[2Jpasswd\ninjected line'],
    permanent_errors: true,
  });
  const text = renderText(buildReport({ pools: [hostile], notes: [], unknown_lines: ['stray \x1b[31mred'] }, new Map(), THRESHOLDS, NOW), NOW);
  t.notRegex(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  t.regex(text, /^tank\\x1b\]0;owned\\x07: ONLINE, CRITICAL$/m);
  t.regex(text, /^ {4}tank\/fs:\/etc\/\\x1b\[2Jpasswd\\x0ainjected line$/m, 'a newline in a file name cannot start a line of its own');
  t.regex(text, /ada1\\x1b\[2J +ONLINE +0 +0 +3 +repaired\\u202e/);
  t.regex(text, /not understood: stray \\x1b\[31mred/);
});

test('long lists are cut, with the count of the rest: files, reasons, devices, lines not understood', (t) => {
  const files = Array.from({ length: 1000 }, (_, i) => `tank/fs:/f${i}`);
  const leaves = Array.from({ length: 150 }, (_, i) => device(`da${i}`, { cksum: 1 }));
  const big = pool({ devices: [device('tank', { depth: 0, role: 'pool' }), ...leaves], data_errors: 1_000_000, error_files: files, permanent_errors: true });
  const unknown = Array.from({ length: 30 }, (_, i) => `junk ${i}`);
  const text = renderText(buildReport({ pools: [big], notes: [], unknown_lines: unknown }, new Map(), THRESHOLDS, NOW), NOW);
  t.regex(text, /permanent errors in 1000000 files: tank\/fs:\/f0, tank\/fs:\/f1, tank\/fs:\/f2 and 999997 more/);
  t.regex(text, /^ {4}tank\/fs:\/f19\n {4}\.\.\. and 999980 more \(zpool status -v tank lists them all\)$/m);
  t.notRegex(text, /tank\/fs:\/f20\b/);
  t.regex(text, /^- \.\.\. and 101 more$/m, '151 reasons: 50 shown');
  t.regex(text, /^ {4}da99 .*\n {4}\.\.\. and 50 more \(zpool status -v tank\)$/m);
  t.regex(text, /not understood: junk 19\n\.\.\. and 10 more lines not understood/);
  t.true(text.split('\n').length < 250);
});

test('a pool never scrubbed says so once, with what to do', (t) => {
  const noted = renderText(buildReport(parse(fixture('zpool-status/fuse-mirror-healthy-never-scrubbed.txt'), 'text', 'UTC'), new Map(), { ...THRESHOLDS, overdueScrub: 'note' }, NOW), NOW);
  t.is(noted.match(/no finished scrub on record/g)?.length, 1, noted);
  t.regex(noted, /^zbkh_m: ONLINE, no finished scrub on record — start one with `zpool scrub zbkh_m`$/m);
  const quiet = renderText(fromFixture('fuse-mirror-healthy-never-scrubbed.txt'), NOW);
  t.regex(quiet, /^zbkh_m: ONLINE, no finished scrub on record$/m, 'without the note the line still says it');
});

import test from 'ava';
import { assess, type Thresholds } from '../../src/health/assess.js';
import type { PoolMemory } from '../../src/health/remembered.js';
import { NO_SCAN, type PoolStatus } from '../../src/health/model.js';
import { parseText } from '../../src/health/parse-text.js';
import { fixture } from '../helpers/fixtures.js';
import { device, NOW, pool, scan, THRESHOLDS, withLeaf } from './builders.js';

/** The verdict without `levels` (which the rise tests check where it matters). */
function judge(status: PoolStatus, thresholds: Thresholds = THRESHOLDS, previous: PoolMemory | null = null) {
  const { alert, reasons, notes } = assess(status, previous, thresholds, NOW);
  return { alert, reasons, notes };
}

test('a healthy pool scrubbed a week ago is ok, with nothing to say', (t) => {
  t.deepEqual(judge(pool()), { alert: 'ok', reasons: [], notes: [] });
});

test('the healed checksum errors of a real scrub: a warning naming pool, device, amount, scrub and what to do', (t) => {
  const [status] = parseText(fixture('zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt'), 'UTC').pools;
  if (!status) throw new Error('no pool');
  t.deepEqual(judge(status, { ...THRESHOLDS, maxAgeMs: null }), {
    alert: 'warning',
    reasons: [
      'zbkh_m: /tmp/zbkh/d2 healed 868 checksum errors (96.3M repaired) in the scrub of 2026-11-27 — check the storage under /tmp/zbkh/d2, then run `zpool clear zbkh_m`',
    ],
    notes: [],
  });
});

test('a disk with errors gets smartctl advice; the contract example reads as it does there', (t) => {
  const status = withLeaf(device('ada1', { cksum: 29, note: '1.69M repaired' }), { scan: scan({ repaired_bytes: 1_772_093, end_time: '2026-11-26T23:48:49Z' }) });
  t.deepEqual(judge(status).reasons, [
    'tank: ada1 healed 29 checksum errors (1.69M repaired) in the scrub of 2026-11-26 — check the disk (smartctl -a /dev/ada1), then run `zpool clear tank`',
  ]);
});

test('read, write and checksum errors together, abbreviated as zpool does; non-leaf rows "have" them', (t) => {
  const status = pool({
    devices: [device('tank', { role: 'pool', depth: 0, cksum: 3 }), device('mirror-0', { role: 'vdev', depth: 1, read: 967_680 }), device('ada0', { read: 2, write: 1, cksum: 5 })],
    data_errors: 3,
  });
  t.deepEqual(judge(status).reasons.slice(1), [
    'tank: the pool itself has 3 checksum errors — check the devices under it, then run `zpool clear tank`',
    'tank: mirror-0 has 945K read errors — check the devices under it, then run `zpool clear tank`',
    'tank: ada0 has 2 read, 1 write and 5 checksum errors — check the disk (smartctl -a /dev/ada0), then run `zpool clear tank`',
  ]);
});

test('a pool not ONLINE is critical, with its status code and action', (t) => {
  const status = pool({ state: 'DEGRADED', status_id: 'ZFS-8000-4J', action: "Replace the device using 'zpool replace'." });
  t.deepEqual(judge(status), { alert: 'critical', reasons: ["tank: pool is DEGRADED (ZFS-8000-4J) — Replace the device using 'zpool replace'"], notes: [] });
});

test('a suspended pool says its I/O is suspended', (t) => {
  t.deepEqual(judge(pool({ state: 'SUSPENDED' })).reasons, ['tank: pool I/O is suspended — reconnect its devices, then run `zpool clear tank`']);
});

test('FAULTED, UNAVAIL and REMOVED devices are critical, each with what to do', (t) => {
  const status = pool({
    devices: [
      device('tank', { role: 'pool', depth: 0 }),
      device('replacing-0', { role: 'vdev', depth: 1, state: 'UNAVAIL', note: 'insufficient replicas' }),
      device('ada0', { state: 'FAULTED', note: 'too many errors' }),
      device('ada1', { state: 'UNAVAIL', note: 'was /dev/ada1' }),
      device('ada2', { state: 'REMOVED' }),
      device('ada9', { group: 'spares', depth: 1, state: 'UNAVAIL' }),
    ],
  });
  const { alert, reasons } = judge(status);
  t.is(alert, 'critical');
  t.deepEqual(reasons, [
    'tank: replacing-0 is UNAVAIL (insufficient replicas) — too few of the devices under it work',
    'tank: ada0 is FAULTED (too many errors) — replace it: `zpool replace tank ada0 NEW-DEVICE`',
    'tank: ada1 is UNAVAIL (was /dev/ada1) — reconnect it and run `zpool online tank ada1`, or replace it: `zpool replace tank ada1 NEW-DEVICE`',
    'tank: ada2 is REMOVED — reinsert it and run `zpool online tank ada2`',
    'tank: ada9 is UNAVAIL — replace the spare: `zpool remove tank ada9`, then `zpool add tank spare NEW-DEVICE`',
  ]);
});

test('OFFLINE and DEGRADED disks are warnings; annotations in parentheses are not wrapped twice', (t) => {
  t.deepEqual(judge(withLeaf(device('ada1', { state: 'OFFLINE', note: '(resilvering)' }))), {
    alert: 'warning',
    reasons: ['tank: ada1 is OFFLINE (resilvering) — bring it back with `zpool online tank ada1`, or replace it'],
    notes: [],
  });
  t.is(judge(withLeaf(device('ada1', { state: 'DEGRADED', note: 'too many errors' }))).reasons[0], 'tank: ada1 is DEGRADED (too many errors) — replace it: `zpool replace tank ada1 NEW-DEVICE`');
});

test('data errors: listed files, a header alone, a count — all critical', (t) => {
  const files = ['<metadata>:<0x0>', 'tank/a@s:/x', 'tank/b', '/tank/c', '/tank/d'];
  t.deepEqual(judge(pool({ data_errors: 5, error_files: files, permanent_errors: true })).reasons, [
    'tank: permanent errors in 5 files: <metadata>:<0x0>, tank/a@s:/x, tank/b and 2 more — restore them from backup (or destroy the snapshots named), then run `zpool clear tank` and scrub again',
  ]);
  t.deepEqual(judge(pool({ data_errors: null, permanent_errors: true })), {
    alert: 'critical',
    reasons: ['tank: ZFS reports permanent errors but lists no file — run `zpool status -v tank` as root'],
    notes: [],
  });
  t.deepEqual(judge(pool({ data_errors: 1 })).reasons, ['tank: 1 data error — list the damaged files with `zpool status -v tank`, restore them from backup, then run `zpool clear tank`']);
});

test('when the output does not say whether there are data errors, the verdict is unknown', (t) => {
  t.deepEqual(judge(pool({ data_errors: null })), {
    alert: 'unknown',
    reasons: ['tank: the output does not say whether there are data errors — run `zpool status -v tank` as root'],
    notes: [],
  });
});

test('a scrub that repaired data is a warning when no counter shows it; one that ended with errors too', (t) => {
  t.deepEqual(judge(pool({ scan: scan({ repaired_bytes: 12_288 }) })).reasons, [
    "tank: the scrub of 2026-11-20 repaired 12K — a disk returned bad data; check the disks' SMART data (smartctl -a)",
  ]);
  t.deepEqual(judge(pool({ scan: scan({ errors: 4 }) })).reasons, ['tank: the scrub of 2026-11-20 ended with 4 errors — run `zpool status -v tank`']);
});

test('a resilver running is a warning; a scrub running or paused is a note', (t) => {
  const resilver = scan({ function: 'resilver', state: 'in_progress', end_time: null, progress: 38.33, eta: '2 days 19:24:49', vdev: 'draid1:8d:12c:2s-1' });
  t.deepEqual(judge(pool({ extra_scans: [resilver] })).reasons, [
    'tank: resilver of draid1:8d:12c:2s-1 in progress, 38.33% done, 2 days 19:24:49 to go — let it finish before replacing or detaching other disks',
  ]);
  t.deepEqual(judge(pool({ scan: scan({ state: 'in_progress', end_time: null, progress: 20.8 }) })), { alert: 'ok', reasons: [], notes: ['tank: scrub in progress, 20.8% done'] });
  t.deepEqual(judge(pool({ scan: scan({ state: 'paused', end_time: null }) })).notes, ['tank: scrub paused — resume it with `zpool scrub tank`']);
});

test('a scrub older than the max age, or none, is a warning', (t) => {
  t.deepEqual(judge(pool({ scan: scan({ end_time: '2026-10-01T04:00:00Z' }) })).reasons, [
    'tank: last scrub finished 2026-10-01, 57 days ago (limit 35) — start one with `zpool scrub tank`',
  ]);
  t.deepEqual(judge(pool({ scan: NO_SCAN })).reasons, ['tank: no finished scrub on record — start one with `zpool scrub tank`']);
});

test('after a resilver the remembered scrub end keeps a recent scrub from looking overdue', (t) => {
  const previous: PoolMemory = { at: '2026-11-26T06:00:00Z', state: 'ONLINE', alert: 'ok', data_errors: 0, last_scan_end: null, last_scrub_end: '2026-11-20T04:00:00Z', devices: new Map() };
  t.is(judge(pool({ scan: scan({ function: 'resilver' }) }), THRESHOLDS, previous).alert, 'ok');
});

test('the scrub-age rule is off with maxAgeMs null, a note with overdueScrub "note", and quiet while a scan runs', (t) => {
  const old = pool({ scan: NO_SCAN });
  t.deepEqual(judge(old, { ...THRESHOLDS, maxAgeMs: null }), { alert: 'ok', reasons: [], notes: [] });
  t.deepEqual(judge(old, { ...THRESHOLDS, overdueScrub: 'note' }), { alert: 'ok', reasons: [], notes: ['tank: no finished scrub on record — start one with `zpool scrub tank`'] });
  t.is(judge(pool({ scan: scan({ function: 'resilver', state: 'in_progress', end_time: null }) })).reasons.length, 1);
});

test('a pool that cannot be scrubbed is not told to scrub', (t) => {
  t.false(judge(pool({ state: 'FAULTED', scan: NO_SCAN })).reasons.some((r) => r.includes('zpool scrub')));
});

test('capacity at the warning and the critical threshold', (t) => {
  t.is(judge(pool({ capacity: 79 })).alert, 'ok');
  t.deepEqual(judge(pool({ capacity: 80 })).reasons, ['tank: 80% full (limit 80%) — free space (prune snapshots) or add disks; ZFS slows down as a pool fills']);
  t.like(judge(pool({ capacity: 93 })), { alert: 'critical', reasons: ['tank: 93% full (limit 90%) — free space (prune snapshots) or add disks; ZFS slows down as a pool fills'] });
});

test('lines not understood, a missing state line or config table make the verdict unknown', (t) => {
  t.deepEqual(judge(pool({ unknown_lines: ['wibble: on', 'more'] })).reasons, ['tank: 2 lines of the output not understood, "wibble: on" and more — read `zpool status -v tank` yourself']);
  t.deepEqual(judge(pool({ state: 'UNKNOWN' })).reasons, ['tank: the output has no state line — run `zpool status -v tank`']);
  t.deepEqual(judge(pool({ devices: [] })).reasons, ['tank: the output has no config table — run `zpool status -v tank`']);
});

test('unknown outranks a warning but not a critical finding; reasons come most severe first', (t) => {
  t.is(judge(pool({ unknown_lines: ['?'], capacity: 85 })).alert, 'unknown');
  const { alert, reasons } = judge(pool({ unknown_lines: ['?'], capacity: 95, state: 'DEGRADED' }));
  t.is(alert, 'critical');
  t.deepEqual(reasons.map((r) => r.split(' ')[1]), ['pool', '95%', '1']);
});

test('after `zpool clear`, the repairs of a scrub already reported are a note, not a warning', (t) => {
  const end = '2026-11-26T23:48:49Z';
  const cleared = pool({ scan: scan({ repaired_bytes: 1_772_093, end_time: end }) });
  const seen: PoolMemory = {
    at: '2026-11-27T00:00:00Z', state: 'ONLINE', alert: 'warning', data_errors: 0, last_scan_end: end, last_scrub_end: end,
    devices: new Map([['ada1', { state: 'ONLINE', read: 0, write: 0, cksum: 29, rose: false }]]),
  };
  const after = judge(cleared, THRESHOLDS, seen);
  t.is(after.alert, 'ok');
  t.deepEqual(after.notes, ['tank: the scrub of 2026-11-26 repaired 1.69M; the counters have been cleared since']);
  t.is(judge(cleared, THRESHOLDS, { ...seen, last_scan_end: '2026-10-01T00:00:00Z' }).alert, 'warning', 'another scrub: not seen yet');
  t.is(judge(cleared, THRESHOLDS, { ...seen, devices: new Map([['ada1', { state: 'ONLINE', read: 0, write: 0, cksum: 0, rose: false }]]) }).alert, 'warning', 'never shown on the counters');
});

test('a list kept to its first entries still counts every damaged file', (t) => {
  const files = Array.from({ length: 1000 }, (_, i) => `tank/fs:/f${i}`);
  t.deepEqual(judge(pool({ data_errors: 1_000_000, error_files: files, permanent_errors: true })).reasons, [
    'tank: permanent errors in 1000000 files: tank/fs:/f0, tank/fs:/f1, tank/fs:/f2 and 999997 more — restore them from backup (or destroy the snapshots named), then run `zpool clear tank` and scrub again',
  ]);
});

import test from 'ava';
import { NO_SCAN } from '../../src/health/model.js';
import { activeScans, canScrub, lastScanEnd, lastScrubEnd, scansOf } from '../../src/health/scans.js';
import { pool, scan } from './builders.js';

const rebuild = scan({ function: 'resilver', end_time: '2026-11-25T10:00:00Z', vdev: 'draid1:8d:12c:2s-0' });

test('the scans of a pool: the pool-wide one and the rebuilds, none left out', (t) => {
  t.deepEqual(scansOf(pool({ scan: NO_SCAN })), []);
  t.is(scansOf(pool({ extra_scans: [rebuild] })).length, 2);
  t.deepEqual(scansOf(pool({ scan: NO_SCAN, extra_scans: [rebuild] })), [rebuild]);
});

test('running and paused scans are active', (t) => {
  t.is(activeScans(pool()).length, 0);
  t.is(activeScans(pool({ scan: scan({ state: 'paused', end_time: null }) })).length, 1);
  t.is(activeScans(pool({ extra_scans: [scan({ function: 'resilver', state: 'in_progress' })] })).length, 1);
});

test('the last scan end is the latest of any kind', (t) => {
  t.is(lastScanEnd(pool({ extra_scans: [rebuild] })), '2026-11-25T10:00:00Z');
  t.is(lastScanEnd(pool({ scan: NO_SCAN })), null);
});

test('the last scrub end: finished scrubs only, else what was remembered', (t) => {
  t.is(lastScrubEnd(pool(), null), '2026-11-20T04:00:00Z');
  t.is(lastScrubEnd(pool({ scan: scan({ state: 'canceled' }) }), null), null);
  t.is(lastScrubEnd(pool({ scan: rebuild }), '2026-10-02T04:00:00Z'), '2026-10-02T04:00:00Z');
  t.is(lastScrubEnd(pool(), '2026-10-02T04:00:00Z'), '2026-11-20T04:00:00Z');
});

test('FAULTED, UNAVAIL and SUSPENDED pools cannot be scrubbed; DEGRADED ones can', (t) => {
  t.deepEqual(
    ['ONLINE', 'DEGRADED', 'FAULTED', 'UNAVAIL', 'SUSPENDED'].map((state) => canScrub(pool({ state }))),
    [true, true, false, false, false],
  );
});

import test from 'ava';
import type { HealthMemory } from '../../src/health/remembered.js';
import { NO_SCAN } from '../../src/health/model.js';
import { planScrubs } from '../../src/health/scrub-plan.js';
import { DAY_MS, NOW, pool, scan } from './builders.js';

const MAX_AGE = 35 * DAY_MS;

test('a pool scrubbed within the max age is left alone until it is due', (t) => {
  t.deepEqual(planScrubs([pool()], MAX_AGE, NOW), [{ pool: 'tank', scrub: false, reason: 'last scrub finished 2026-11-20, 7 days ago; next due 2026-12-25' }]);
});

test('a pool whose last scrub is older than the max age, or never scrubbed, is due', (t) => {
  t.deepEqual(planScrubs([pool({ scan: scan({ end_time: '2026-10-01T04:00:00Z' }) }), pool({ name: 'backup', scan: NO_SCAN })], MAX_AGE, NOW), [
    { pool: 'tank', scrub: true, reason: 'last scrub finished 2026-10-01, 57 days ago (max age 35 days)' },
    { pool: 'backup', scrub: true, reason: 'no finished scrub on record' },
  ]);
});

test('a canceled scrub does not count as one', (t) => {
  t.true(planScrubs([pool({ scan: scan({ state: 'canceled' }) })], MAX_AGE, NOW)[0]?.scrub);
});

test('busy pools are skipped: scrubbing, paused, resilvering (dRAID rebuilds too)', (t) => {
  const busy = [
    pool({ scan: scan({ state: 'in_progress', end_time: null }) }),
    pool({ scan: scan({ state: 'paused', end_time: null }) }),
    pool({ scan: NO_SCAN, extra_scans: [scan({ function: 'resilver', state: 'in_progress', end_time: null, vdev: 'draid1:8d:12c:2s-0' })] }),
  ];
  t.deepEqual(
    planScrubs(busy, MAX_AGE, NOW).map((d) => [d.scrub, d.reason]),
    [
      [false, 'scrub in progress'],
      [false, 'scrub paused (resume it with `zpool scrub tank`)'],
      [false, 'resilver in progress'],
    ],
  );
});

test('FAULTED, UNAVAIL and SUSPENDED pools are skipped; a DEGRADED one is scrubbed when due', (t) => {
  const pools = ['FAULTED', 'UNAVAIL', 'SUSPENDED', 'DEGRADED'].map((state) => pool({ name: state.toLowerCase(), state, scan: NO_SCAN }));
  t.deepEqual(
    planScrubs(pools, MAX_AGE, NOW).map((d) => [d.pool, d.scrub, d.reason]),
    [
      ['faulted', false, 'pool is FAULTED'],
      ['unavail', false, 'pool is UNAVAIL'],
      ['suspended', false, 'pool is SUSPENDED'],
      ['degraded', true, 'no finished scrub on record'],
    ],
  );
});

test('after a resilver, the remembered last scrub decides', (t) => {
  const memory: HealthMemory = new Map([
    ['tank', { at: '2026-11-26T06:00:00Z', state: 'ONLINE', alert: 'ok', data_errors: 0, last_scan_end: null, last_scrub_end: '2026-11-20T04:00:00Z', devices: new Map() }],
  ]);
  const resilvered = pool({ scan: scan({ function: 'resilver', end_time: '2026-11-25T10:00:00Z' }) });
  t.false(planScrubs([resilvered], MAX_AGE, NOW, memory)[0]?.scrub);
  t.true(planScrubs([resilvered], MAX_AGE, NOW)[0]?.scrub);
});

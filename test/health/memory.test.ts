import test from 'ava';
import type { Assessment } from '../../src/health/assess.js';
import { changesSince, isTrouble, remember } from '../../src/health/memory.js';
import type { PoolMemory } from '../../src/health/remembered.js';
import { NO_SCAN } from '../../src/health/model.js';
import { device, NOW, pool, scan, withLeaf } from './builders.js';

const ok: Assessment = { alert: 'ok', reasons: [], levels: [], notes: [] };
const warning: Assessment = { alert: 'warning', reasons: ['tank: something'], levels: ['warning'], notes: [] };

const before: PoolMemory = {
  at: '2026-11-20T06:00:00Z',
  state: 'ONLINE',
  alert: 'warning',
  data_errors: 0,
  last_scan_end: '2026-11-20T04:00:00Z',
  last_scrub_end: '2026-11-20T04:00:00Z',
  devices: new Map([
    ['tank', { state: 'ONLINE', read: 0, write: 0, cksum: 0, rose: false }],
    ['mirror-0', { state: 'ONLINE', read: 0, write: 0, cksum: 0, rose: false }],
    ['ada0', { state: 'ONLINE', read: 0, write: 0, cksum: 0, rose: false }],
    ['ada1', { state: 'ONLINE', read: 0, write: 0, cksum: 29, rose: false }],
  ]),
};

test('remember keeps counters, states, the last scan and scrub ends, the alert, and when', (t) => {
  t.deepEqual(remember(withLeaf(device('ada1', { cksum: 29 })), 'warning', new Date('2026-11-20T06:00:00Z'), null), before);
});

test('spares are not remembered; a resilver keeps the remembered scrub end', (t) => {
  const status = pool({
    scan: scan({ function: 'resilver', end_time: '2026-11-25T10:00:00Z' }),
    devices: [...pool().devices, device('ada9', { group: 'spares', state: 'AVAIL' })],
  });
  const next = remember(status, 'ok', NOW, before);
  t.false('ada9' in next.devices);
  t.is(next.last_scrub_end, '2026-11-20T04:00:00Z');
  t.is(next.last_scan_end, '2026-11-25T10:00:00Z');
});

test('nothing new is no change', (t) => {
  t.deepEqual(changesSince(withLeaf(device('ada1', { cksum: 29 })), warning, before), []);
});

test('a counter that grew is new, with before, after and since when', (t) => {
  t.deepEqual(changesSince(withLeaf(device('ada1', { read: 2, cksum: 41 })), warning, before), [
    { level: 'warning', text: 'tank: ada1: read errors 0 → 2, checksum errors 29 → 41 since 2026-11-20, +14' },
  ]);
});

test('counters cleared and a device back ONLINE are notes', (t) => {
  const cleared = changesSince(withLeaf(device('ada1')), ok, before);
  t.deepEqual(cleared, [
    { level: 'note', text: 'tank: ada1: error counters cleared since 2026-11-20' },
    { level: 'note', text: 'tank: warning → ok' },
  ]);
  t.false(cleared.some(isTrouble));
});

test('a device or the pool changing state', (t) => {
  const status = withLeaf(device('ada1', { state: 'FAULTED', cksum: 29 }), { state: 'DEGRADED' });
  t.deepEqual(changesSince(status, { alert: 'critical', reasons: [], levels: [], notes: [] }, before), [
    { level: 'critical', text: 'tank: pool ONLINE → DEGRADED' },
    { level: 'critical', text: 'tank: ada1: ONLINE → FAULTED' },
    { level: 'critical', text: 'tank: warning → critical' },
  ]);
});

test('a scan that ended since: a scrub that repaired data is trouble, a clean one a note', (t) => {
  const repaired = pool({ scan: scan({ repaired_bytes: 1_772_093, end_time: '2026-11-26T23:48:49Z' }) });
  t.deepEqual(changesSince(repaired, ok, { ...before, alert: 'ok', devices: new Map() }), [{ level: 'warning', text: 'tank: scrub finished 2026-11-26, repaired 1.69M' }]);
  const clean = pool({ scan: scan({ end_time: '2026-11-26T23:48:49Z' }) });
  t.deepEqual(changesSince(clean, ok, { ...before, alert: 'ok', devices: new Map() }), [{ level: 'note', text: 'tank: scrub finished 2026-11-26' }]);
  const canceled = pool({ scan: scan({ state: 'canceled', end_time: '2026-11-26T23:48:49Z' }) });
  t.deepEqual(changesSince(canceled, ok, { ...before, alert: 'ok', devices: new Map() }), [{ level: 'note', text: 'tank: scrub canceled 2026-11-26' }]);
});

test('new data errors are critical', (t) => {
  t.deepEqual(changesSince(pool({ data_errors: 4, scan: NO_SCAN }), warning, { ...before, devices: new Map() }), [{ level: 'critical', text: 'tank: data errors 0 → 4' }]);
});

test('a worse alert is new even when no fact above is (capacity, an overdue scrub)', (t) => {
  t.deepEqual(changesSince(pool(), warning, { ...before, alert: 'ok', devices: new Map() }), [{ level: 'warning', text: 'tank: ok → warning' }]);
});

test('a pool seen for the first time is new as a whole, unless it is ok', (t) => {
  t.deepEqual(changesSince(pool(), warning, null), [{ level: 'warning', text: 'tank: first report of this pool, warning' }]);
  t.deepEqual(changesSince(pool(), ok, null), []);
});

test('remember notes which devices last changed by rising: not on a first report, nor after a clear', (t) => {
  const rising = remember(withLeaf(device('ada1', { cksum: 41 })), 'warning', NOW, before);
  t.deepEqual([...rising.devices].map(([name, d]) => [name, d.rose]), [['tank', false], ['mirror-0', false], ['ada0', false], ['ada1', true]]);
  t.false(remember(withLeaf(device('ada1', { cksum: 41 })), 'warning', NOW, null).devices.get('ada1')?.rose);
  t.false(remember(withLeaf(device('ada1', { read: 5 })), 'warning', NOW, before).devices.get('ada1')?.rose, 'cksum 29 → 0 is a clear: a new baseline');
  t.true(remember(withLeaf(device('ada1', { cksum: 41 })), 'warning', NOW, rising).devices.get('ada1')?.rose, 'a report that saw no change carries it on');
});

test('a device new since the last report has counters, but no rise to tell', (t) => {
  t.deepEqual(changesSince(withLeaf(device('ada1', { cksum: 29 }), { devices: [...pool().devices, device('ada2', { cksum: 3 })] }), warning, before), [
    { level: 'warning', text: 'tank: ada2: checksum errors 0 → 3 since 2026-11-20' },
  ]);
});

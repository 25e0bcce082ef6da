import test from 'ava';
import fc from 'fast-check';
import { chooseSnapshot, parseInstant, zbkSnapshotsInOrder } from '../../src/views/select.js';

const NAMES = ['zbk_2026-11-22T030000Z', 'manual-before-upgrade', 'zbk_2026-11-20T030000Z', 'zbk_2026-11-21T030000Z'];

test('a snapshot name is taken as it is, a foreign one included', (t) => {
  t.deepEqual(chooseSnapshot('zbk_2026-11-21T030000Z', NAMES, 'zbk'), { snapshot: 'zbk_2026-11-21T030000Z', instant: null });
  t.deepEqual(chooseSnapshot('manual-before-upgrade', NAMES, 'zbk'), { snapshot: 'manual-before-upgrade', instant: null });
});

test('an instant chooses the newest zbk snapshot at or before it, and says which instant chose it', (t) => {
  const at = (spec: string) => (chooseSnapshot(spec, NAMES, 'zbk') as { snapshot: string }).snapshot;
  t.is(at('2026-11-21T03:00:00Z'), 'zbk_2026-11-21T030000Z', 'exactly at');
  t.is(at('2026-11-21T02:59:59Z'), 'zbk_2026-11-20T030000Z');
  t.is(at('2026-11-21T12:00:00+02:00'), 'zbk_2026-11-21T030000Z');
  t.is(at('2030-01-01'), 'zbk_2026-11-22T030000Z');
  t.deepEqual((chooseSnapshot('2026-11-22T04:00:00Z', NAMES, 'zbk') as { instant: Date }).instant, new Date('2026-11-22T04:00:00Z'));
});

test('refused: before every snapshot, neither a name nor an instant, a zone-less time', (t) => {
  t.regex(chooseSnapshot('2026-11-01T00:00:00Z', NAMES, 'zbk') as string, /no zbk_ snapshot at or before 2026-11-01T00:00:00Z/);
  t.regex(chooseSnapshot('yesterday', NAMES, 'zbk') as string, /neither a snapshot of the job's dataset nor an ISO 8601 instant/);
  t.regex(chooseSnapshot('2026-11-21T03:00:00', NAMES, 'zbk') as string, /neither/);
  t.is(parseInstant('2026-13-01'), null);
});

test('zbk snapshots in the order of their instants, foreign ones left out', (t) => {
  t.deepEqual(zbkSnapshotsInOrder(NAMES, 'zbk'), ['zbk_2026-11-20T030000Z', 'zbk_2026-11-21T030000Z', 'zbk_2026-11-22T030000Z']);
});

test('property: the chosen snapshot is at or before the instant, and no zbk snapshot lies between them', (t) => {
  const day = fc.integer({ min: 0, max: 400 });
  fc.assert(fc.property(fc.uniqueArray(day, { minLength: 1, maxLength: 20 }), day, (days, q) => {
    const stamp = (d: number) => new Date(Date.UTC(2026, 0, 1 + d, 3));
    const names = days.map((d) => `zbk_${stamp(d).toISOString().replace(/[:]/g, '').replace('.000', '')}`);
    const at = stamp(q).toISOString();
    const c = chooseSnapshot(at, names, 'zbk');
    const before = days.filter((d) => d <= q);
    if (before.length === 0) return typeof c === 'string';
    return typeof c !== 'string' && c.snapshot === names[days.indexOf(Math.max(...before))];
  }));
  t.pass();
});

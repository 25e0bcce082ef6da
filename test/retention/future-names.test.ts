import test from 'ava';
import fc from 'fast-check';
import { FUTURE_TOLERANCE_MS, isReal, namedFromTheFuture, nowFromTheFuture } from '../../src/retention/future-names.js';
import { formatSnapshotName } from '../../src/retention/naming.js';
import { parseSnapshotList } from '../../src/zfs/snapshots.js';
import { fixture } from '../helpers/fixtures.js';
import { assertProperty } from './property.js';

const seconds = (iso: string) => new Date(iso).getTime() / 1000;
const DAY_S = 86_400;

test('a name more than a day after its creation is from the future; a day exactly, or any past, is not', (t) => {
  const created = seconds('2026-12-01T03:00:00Z');
  const listed = [
    { name: 'zbk_2026-12-02T030000Z', creation: created }, // a day exactly
    { name: 'zbk_2026-12-02T030001Z', creation: created }, // a day and a second
    { name: 'zbk_2036-01-01T030000Z', creation: created },
    { name: 'zbk_2001-01-01T000000Z', creation: created }, // a simulated past: fine
    { name: 'zbk_2030-01-01T000000Z', creation: seconds('2030-01-01T00:00:00Z') }, // clock and name agree
  ];
  t.deepEqual(namedFromTheFuture(listed, 'zbk').map((f) => [f.name, f.time.toISOString(), f.creation.toISOString()]), [
    ['zbk_2036-01-01T030000Z', '2036-01-01T03:00:00.000Z', '2026-12-01T03:00:00.000Z'],
    ['zbk_2026-12-02T030001Z', '2026-12-02T03:00:01.000Z', '2026-12-01T03:00:00.000Z'],
  ], 'newest name first');
});

test('names zbk did not make, or with another prefix, are never from the future', (t) => {
  const created = seconds('2026-12-01T03:00:00Z');
  const listed = ['manual-2036-01-01', 'other_2036-01-01T030000Z', 'zbk_2036-02-30T030000Z', 'zbk_2036-01-01T030000Z.bak', '__proto__']
    .map((name) => ({ name, creation: created }));
  t.deepEqual(namedFromTheFuture(listed, 'zbk'), []);
  t.deepEqual(namedFromTheFuture([{ name: 'other_2036-01-01T030000Z', creation: created }], 'other').map((f) => f.name), ['other_2036-01-01T030000Z']);
});

test('real snapshots: zbk names within a day of their creation, and every foreign name; simulated ones are not', (t) => {
  const created = seconds('2026-12-01T03:00:00Z');
  const real = (name: string, creation = created) => isReal({ name, creation }, 'zbk');
  t.true(real('zbk_2026-12-01T030000Z'));
  t.true(real('zbk_2026-11-30T030000Z'), 'a day before, exactly');
  t.true(real('zbk_2026-12-02T030000Z'), 'a day after, exactly');
  t.true(real('manual-before-upgrade'));
  t.true(real('other_2026-03-01T030000Z'));
  t.false(real('zbk_2026-03-01T030000Z'), 'a simulated night, months before it was taken');
  t.false(real('zbk_2036-01-01T030000Z'), 'a name from the future');
  t.false(real('zbk_2026-11-30T025959Z'), 'a day and a second before');
});

test('--now may be up to a day after the clock', (t) => {
  const clock = new Date('2026-12-01T12:00:00Z');
  t.false(nowFromTheFuture(new Date('2026-12-02T03:00:00Z'), clock), 'tonight, named in the afternoon');
  t.false(nowFromTheFuture(new Date('2026-12-02T12:00:00Z'), clock));
  t.true(nowFromTheFuture(new Date('2026-12-02T12:00:01Z'), clock));
  t.false(nowFromTheFuture(new Date('2020-01-01T00:00:00Z'), clock), 'the past is a simulation');
});

test('one tolerance for both rules: a snapshot named by a --now that is not refused never stops a prune', (t) => {
  assertProperty(
    t,
    fc.property(
      fc.integer({ min: seconds('2000-01-01T00:00:00Z'), max: seconds('2090-01-01T00:00:00Z') }),
      fc.integer({ min: -400 * DAY_S, max: 400 * DAY_S }),
      fc.integer({ min: 0, max: 3600 }),
      (clockS, aheadS, lateS) => {
        const clock = new Date(clockS * 1000);
        const now = new Date((clockS + aheadS) * 1000);
        // ZFS records the creation a little after zbk read the clock, never before.
        const snapshot = { name: formatSnapshotName('zbk', now), creation: clockS + lateS };
        const stops = namedFromTheFuture([snapshot], 'zbk').length > 0;
        return nowFromTheFuture(now, clock) || !stops;
      },
    ),
  );
  t.is(FUTURE_TOLERANCE_MS, DAY_S * 1000);
});

test('no snapshot named from the future is real', (t) => {
  assertProperty(
    t,
    fc.property(fc.integer({ min: 0, max: 4e9 }), fc.integer({ min: 0, max: 4e9 }), (nameS, creation) => {
      const snapshot = { name: formatSnapshotName('zbk', new Date(nameS * 1000)), creation };
      return !(namedFromTheFuture([snapshot], 'zbk').length > 0 && isReal(snapshot, 'zbk'));
    }),
  );
});

test('recorded listings: zfs-fuse and OpenZFS, each with one name from the future among real and simulated ones', (t) => {
  const fuse = parseSnapshotList(fixture('zfs/legacy-get-snapshots-future-name.txt'), 'zbkt_pf/a');
  t.deepEqual(namedFromTheFuture(fuse, 'zbk').map((f) => f.name), ['zbk_2036-01-01T030000Z']);
  t.deepEqual(fuse.filter((s) => isReal(s, 'zbk')).map((s) => s.name), ['zbk_2026-12-01T032808Z', 'manual-before-upgrade']);
  const openzfs = parseSnapshotList(fixture('zfs/openzfs-get-snapshots-future-name.txt'), 'tank/backup/web');
  t.deepEqual(namedFromTheFuture(openzfs, 'zbk').map((f) => [f.name, f.creation.toISOString()]), [['zbk_2036-11-30T030000Z', '2026-11-30T03:05:17.000Z']]);
  t.deepEqual(openzfs.filter((s) => isReal(s, 'zbk')).map((s) => s.name), ['zbk_2026-11-29T030000Z', 'zbk_2026-11-30T030000Z', 'zbk_2026-12-01T030000Z']);
  t.deepEqual(namedFromTheFuture(parseSnapshotList(fixture('zfs/openzfs-get-snapshots.txt'), 'tank/backup/usa-vds'), 'zbk'), []);
});

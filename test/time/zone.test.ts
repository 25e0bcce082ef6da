import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { instantOf, isTimeZone, offsetAt, systemTimeZone, wallTimeAt, type WallTime } from '../../src/time/zone.js';
import { holds } from '../health/builders.js';

const wall = (year: number, month: number, day: number, hour: number, minute = 0, second = 0): WallTime => ({ year, month, day, hour, minute, second });
const iso = (ms: number) => new Date(ms).toISOString();

test('a wall time in UTC is that instant', (t) => {
  t.is(iso(instantOf(wall(2026, 11, 26, 23, 48, 49), 'UTC')), '2026-11-26T23:48:49.000Z');
});

test('winter and summer offsets of a zone are applied', (t) => {
  t.is(iso(instantOf(wall(2026, 1, 15, 12), 'Europe/Athens')), '2026-01-15T10:00:00.000Z');
  t.is(iso(instantOf(wall(2026, 7, 15, 12), 'Europe/Athens')), '2026-07-15T09:00:00.000Z');
  t.is(iso(instantOf(wall(2026, 7, 15, 12), 'America/New_York')), '2026-07-15T16:00:00.000Z');
});

test('a time that never happens (clocks forward) lands after the change, by the length of the gap', (t) => {
  // Athens: 2026-03-29 03:00 EET becomes 04:00 EEST.
  t.is(iso(instantOf(wall(2026, 3, 29, 3, 30), 'Europe/Athens')), '2026-03-29T01:30:00.000Z');
  t.deepEqual(wallTimeAt(instantOf(wall(2026, 3, 29, 3, 30), 'Europe/Athens'), 'Europe/Athens'), wall(2026, 3, 29, 4, 30));
  // New York: 2026-03-08 02:00 EST becomes 03:00 EDT.
  t.is(iso(instantOf(wall(2026, 3, 8, 2, 30), 'America/New_York')), '2026-03-08T07:30:00.000Z');
});

test('a time that happens twice (clocks back) is the earlier one', (t) => {
  // Athens: 2026-10-25 04:00 EEST becomes 03:00 EET; 03:30 happens at 00:30Z and 01:30Z.
  t.is(iso(instantOf(wall(2026, 10, 25, 3, 30), 'Europe/Athens')), '2026-10-25T00:30:00.000Z');
  // New York: 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
  t.is(iso(instantOf(wall(2026, 11, 1, 1, 30), 'America/New_York')), '2026-11-01T05:30:00.000Z');
});

test('an unknown zone is an error, not a silent UTC', (t) => {
  t.throws(() => instantOf(wall(2026, 1, 1, 0), 'Mars/Olympus_Mons'), { instanceOf: RangeError });
});

test('the wall time of an instant names that instant again', (t) => {
  const zones = ['UTC', 'Europe/Athens', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns'];
  holds(
    t,
    fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
      const instant = ms - (ms % 1000);
      const there = wallTimeAt(instant, zone);
      return JSON.stringify(wallTimeAt(instantOf(there, zone), zone)) === JSON.stringify(there);
    }),
  );
});

test('the wall time of an instant is the one Intl prints there, to the second, DST and odd offsets included', (t) => {
  // The oracle is Intl itself, read part by part (what wallTimeAt did before it read offsetAt).
  const intl = (instant: number, timeZone: string): WallTime => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
    const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return wall(part('year'), part('month'), part('day'), part('hour'), part('minute'), part('second'));
  };
  const zones = ['UTC', 'Europe/Athens', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', systemTimeZone()];
  holds(
    t,
    fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...zones), (ms, zone) =>
      JSON.stringify(wallTimeAt(ms, zone)) === JSON.stringify(intl(ms, zone))),
  );
  t.throws(() => wallTimeAt(0, 'Mars/Olympus'), { instanceOf: RangeError });
});

test('the offset at an instant is the zone\'s, to the second, and an unknown zone is refused', (t) => {
  t.is(offsetAt(Date.UTC(2026, 0, 15), 'Europe/Athens'), 2 * 3_600_000);
  t.is(offsetAt(Date.UTC(2026, 6, 15), 'America/New_York'), -4 * 3_600_000);
  t.is(offsetAt(Date.UTC(1880, 0, 1), 'America/New_York'), -(4 * 3600 + 56 * 60 + 2) * 1000);
  t.throws(() => offsetAt(0, 'Mars/Olympus'), { instanceOf: RangeError });
});

test('isTimeZone accepts IANA zones and refuses anything else', (t) => {
  t.true(isTimeZone('Europe/Athens'));
  t.true(isTimeZone('UTC'));
  for (const bad of ['Mars/Olympus', '', '__proto__', 'constructor', 'Europe/Athens\n']) t.false(isTimeZone(bad), JSON.stringify(bad));
  t.true(isTimeZone(systemTimeZone()));
});

/** Runs `f` with TZ set to `tz` (unset for undefined), as node re-reads the zone when TZ changes. */
function withTz<T>(tz: string | undefined, f: () => T): T {
  const saved = process.env.TZ;
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

const UTC_NAMES = ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu'];

test('the system zone is the one Intl resolves, whatever TZ says (read without Intl where it can be)', (t) => {
  const others = ['Europe/Athens', 'America/New_York', 'Asia/Calcutta', 'Asia/Kolkata', 'Europe/Kyiv', 'US/Pacific', 'posix/Europe/Athens', ':Europe/Athens'];
  for (const tz of [undefined, ...UTC_NAMES, ':UTC', 'utc', '', ...others, 'EST5EDT', 'CET-1CEST', 'Mars/Olympus']) {
    withTz(tz, () => t.is(systemTimeZone(), Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', `TZ=${tz}`));
  }
});

const real = Intl.DateTimeFormat;

/** Runs `f` with Intl.DateTimeFormat failing the test when called; the real one is `real`. */
function withoutIntl(t: ExecutionContext, f: () => void): void {
  Object.defineProperty(Intl, 'DateTimeFormat', { value: () => t.fail('Intl.DateTimeFormat was called'), configurable: true, writable: true });
  try {
    f();
  } finally {
    Object.defineProperty(Intl, 'DateTimeFormat', { value: real, configurable: true, writable: true });
  }
}

test('a host in UTC never builds an Intl formatter (~10 ms of ICU at start-up), and gets the same answers', (t) => {
  withoutIntl(t, () => {
    withTz('Etc/UTC', () => {
      t.is(systemTimeZone(), 'UTC');
      t.true(isTimeZone('UTC'));
      t.is(offsetAt(Date.UTC(2026, 6, 15), 'UTC'), 0);
      t.is(iso(instantOf(wall(2026, 3, 29, 2, 30), 'Etc/UTC')), '2026-03-29T02:30:00.000Z');
    });
  });
  // Intl's answers for the same questions, with its refusal of an instant out of range.
  for (const zone of UTC_NAMES) {
    t.true(isTimeZone(zone), zone);
    t.is(new real('en-US', { timeZone: zone }).resolvedOptions().timeZone, 'UTC', zone);
    t.is(offsetAt(-8.64e15, zone), 0, zone);
    t.throws(() => offsetAt(8.64e15 + 1, zone), { instanceOf: RangeError }, zone);
  }
  t.throws(() => new real('en-US', { timeZone: 'UTC' }).format(8.64e15 + 1), { instanceOf: RangeError });
});

test('the host\'s own zone needs no Intl formatter either, and Intl knows each name that path gives', (t) => {
  withoutIntl(t, () => {
    withTz('Europe/Athens', () => {
      t.is(systemTimeZone(), 'Europe/Athens');
      t.true(isTimeZone('Europe/Athens'));
      t.is(offsetAt(Date.UTC(2026, 6, 15), 'Europe/Athens'), 3 * 3_600_000);
      t.is(iso(instantOf(wall(2026, 3, 29, 3, 30), 'Europe/Athens')), '2026-03-29T01:30:00.000Z'); // in the gap: after it
    });
  });
  // Every name the host path can give (Intl's list) is one Intl takes and resolves to itself.
  for (const zone of Intl.supportedValuesOf('timeZone')) t.is(new real('en-US', { timeZone: zone }).resolvedOptions().timeZone, zone);
});

test('the offsets of the host\'s zone, from Date\'s local time, are Intl\'s to the second: at random instants and every half hour of 2026', (t) => {
  const random = fc.sample(fc.integer({ min: -8.64e15, max: 8.64e15 }), 500).concat(fc.sample(fc.integer({ min: -5e12, max: 5e12 }), 1500));
  const year: number[] = [];
  for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 1_800_000) year.push(ms, ms + 999);
  const instants = [...random, ...year, 8.64e15, -8.64e15];
  for (const zone of ['Europe/Athens', 'America/New_York', 'Australia/Lord_Howe', 'Europe/Dublin', 'Africa/Casablanca', 'Pacific/Chatham', 'America/St_Johns', 'America/Sao_Paulo']) {
    const intl = withTz('UTC', () => instants.map((ms) => offsetAt(ms, zone))); // not the host's zone: Intl
    const local = withTz(zone, () => instants.map((ms) => offsetAt(ms, zone)));
    const differ = instants.filter((_, i) => intl[i] !== local[i]);
    t.deepEqual(differ, [], zone);
  }
});

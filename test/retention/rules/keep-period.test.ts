import test from 'ava';
import fc from 'fast-check';
import { calendarIn, PERIODS, type Period } from '../../../src/retention/calendar.js';
import { keepPeriods } from '../../../src/retention/rules/keep-period.js';
import { periodLabel, wallClock } from '../oracle.js';
import { assertProperty } from '../property.js';
import { keptOf, newestFirst } from './dates.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function keep(period: Period, count: number, timeZone: string, times: readonly Date[]): [string, string][] {
  return keptOf(times, keepPeriods(period, count, calendarIn(timeZone))(times));
}

/** Snapshots every `step` from `from` up to (not including) `to`, newest first. */
function every(step: number, from: string, to: string): Date[] {
  const times: Date[] = [];
  for (let at = new Date(from).getTime(); at < new Date(to).getTime(); at += step) times.push(new Date(at));
  return times.reverse();
}

test('keeps the newest snapshot of each of the last N days that have one; a gap does not use days up', (t) => {
  const times = newestFirst(
    '2026-11-26T03:00:00Z', '2026-11-26T01:00:00Z', '2026-11-25T03:00:00Z',
    // switched off 2026-11-16 .. 2026-11-24
    '2026-11-15T03:00:00Z', '2026-11-14T03:00:00Z', '2026-11-13T03:00:00Z',
  );
  t.deepEqual(keep('daily', 4, 'UTC', times), [
    ['2026-11-26T03:00:00.000Z', 'daily 1/4'],
    ['2026-11-25T03:00:00.000Z', 'daily 2/4'],
    ['2026-11-15T03:00:00.000Z', 'daily 3/4'],
    ['2026-11-14T03:00:00.000Z', 'daily 4/4'],
  ]);
});

test('every period names itself in its reasons', (t) => {
  const times = newestFirst('2026-11-26T03:00:00Z');
  t.deepEqual(
    PERIODS.map((period) => keep(period, 5, 'UTC', times)[0]?.[1]),
    ['hourly 1/5', 'daily 1/5', 'weekly 1/5', 'monthly 1/5', 'yearly 1/5'],
  );
});

test('days are the zone\'s: 22:30 UTC and 23:30 UTC are one day in UTC, two in Athens', (t) => {
  const times = newestFirst('2026-11-26T23:30:00Z', '2026-11-26T22:30:00Z'); // 01:30 and 00:30 on the 27th in Athens
  t.is(keep('daily', 5, 'UTC', times).length, 1);
  t.is(keep('daily', 5, 'Europe/Athens', times).length, 1);
  const acrossMidnight = newestFirst('2026-11-26T22:30:00Z', '2026-11-26T21:30:00Z'); // 00:30 on the 27th, 23:30 on the 26th
  t.is(keep('daily', 5, 'UTC', acrossMidnight).length, 1);
  t.is(keep('daily', 5, 'Europe/Athens', acrossMidnight).length, 2);
});

/** Half-hourly snapshots over three local days around a DST change, from midnight to midnight. */
const DST_NIGHTS = [
  {
    title: 'Athens, spring: 29 March 2026 has 23 hours',
    zone: 'Europe/Athens', from: '2026-03-27T22:00:00Z', to: '2026-03-30T21:00:00Z', day: '2026-03-29', hours: 23,
    lastOfDay: ['2026-03-30T20:30:00.000Z', '2026-03-29T20:30:00.000Z', '2026-03-28T21:30:00.000Z'],
  },
  {
    title: 'Athens, autumn: 25 October 2026 has 25 hours',
    zone: 'Europe/Athens', from: '2026-10-23T21:00:00Z', to: '2026-10-26T22:00:00Z', day: '2026-10-25', hours: 25,
    lastOfDay: ['2026-10-26T21:30:00.000Z', '2026-10-25T21:30:00.000Z', '2026-10-24T20:30:00.000Z'],
  },
  {
    title: 'New York, spring: 8 March 2026 has 23 hours',
    zone: 'America/New_York', from: '2026-03-07T05:00:00Z', to: '2026-03-10T04:00:00Z', day: '2026-03-08', hours: 23,
    lastOfDay: ['2026-03-10T03:30:00.000Z', '2026-03-09T03:30:00.000Z', '2026-03-08T04:30:00.000Z'],
  },
  {
    title: 'New York, autumn: 1 November 2026 has 25 hours',
    zone: 'America/New_York', from: '2026-10-31T04:00:00Z', to: '2026-11-03T05:00:00Z', day: '2026-11-01', hours: 25,
    lastOfDay: ['2026-11-03T04:30:00.000Z', '2026-11-02T04:30:00.000Z', '2026-11-01T03:30:00.000Z'],
  },
];

for (const night of DST_NIGHTS) {
  test(`DST: ${night.title}; each day and each hour is counted once`, (t) => {
    const times = every(30 * MINUTE, night.from, night.to);
    const daily = keep('daily', 10, night.zone, times);
    t.deepEqual(daily.map(([at]) => at), night.lastOfDay);
    t.deepEqual(daily.map(([, reason]) => reason), ['daily 1/10', 'daily 2/10', 'daily 3/10']);

    const hourly = keep('hourly', 1000, night.zone, times);
    const totalHours = (new Date(night.to).getTime() - new Date(night.from).getTime()) / HOUR;
    t.is(hourly.length, totalHours); // one per hour that passed, the repeated hour too
    t.true(hourly.every(([at]) => new Date(at).getUTCMinutes() === 30)); // the newer of the two in each hour
    const onTheDay = hourly.filter(([at]) => {
      const { year, month, day } = wallClock(new Date(at).getTime(), night.zone);
      return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` === night.day;
    });
    t.is(onTheDay.length, night.hours);
  });
}

test('ISO week 53 of 2026 runs from Monday 28 December to Sunday 3 January 2027', (t) => {
  const times = every(DAY, '2026-12-20T12:00:00Z', '2027-01-11T12:00:00Z'); // Sunday 20 December .. Sunday 10 January
  t.deepEqual(keep('weekly', 10, 'UTC', times), [
    ['2027-01-10T12:00:00.000Z', 'weekly 1/10'], // 2027-W01
    ['2027-01-03T12:00:00.000Z', 'weekly 2/10'], // 2026-W53
    ['2026-12-27T12:00:00.000Z', 'weekly 3/10'], // 2026-W52
    ['2026-12-20T12:00:00.000Z', 'weekly 4/10'], // 2026-W51
  ]);
  t.deepEqual(keep('yearly', 10, 'UTC', times).map(([at]) => at), ['2027-01-10T12:00:00.000Z', '2026-12-31T12:00:00.000Z']);
});

test('ISO week 53 of 2020 holds both 31 December 2020 and 1 January 2021', (t) => {
  const times = newestFirst('2021-01-04T12:00:00Z', '2021-01-01T12:00:00Z', '2020-12-31T12:00:00Z', '2020-12-27T12:00:00Z');
  t.deepEqual(keep('weekly', 10, 'UTC', times).map(([at]) => at), [
    '2021-01-04T12:00:00.000Z', // 2021-W01
    '2021-01-01T12:00:00.000Z', // 2020-W53, with 31 December
    '2020-12-27T12:00:00.000Z', // 2020-W52
  ]);
});

test('weeks begin at Monday midnight in the zone', (t) => {
  const times = newestFirst('2026-12-27T22:30:00Z', '2026-12-27T21:30:00Z'); // Athens: Monday 00:30, Sunday 23:30
  t.is(keep('weekly', 10, 'UTC', times).length, 1);
  t.is(keep('weekly', 10, 'Europe/Athens', times).length, 2);
});

const SPAN: Record<Period, number> = { hourly: 2 * DAY, daily: 40 * DAY, weekly: 300 * DAY, monthly: 4 * 365 * DAY, yearly: 30 * 365 * DAY };

const scenario = fc.record({
  zone: fc.constantFrom('UTC', 'Europe/Athens', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'),
  period: fc.constantFrom(...PERIODS),
  count: fc.integer({ min: 1, max: 8 }),
  start: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fractions: fc.uniqueArray(fc.integer({ min: 0, max: 100_000 }), { maxLength: 60 }),
});

test('keeps the newest snapshot of each of the N latest periods that have one: at most N, exactly N when there are', (t) => {
  assertProperty(
    t,
    fc.property(scenario, ({ zone, period, count, start, fractions }) => {
      const times = fractions.map((f) => new Date(start + Math.floor((f * SPAN[period]) / 100_000))).sort((a, b) => b.getTime() - a.getTime());
      const labels = times.map((time) => periodLabel(period, time.getTime(), zone));
      const kept = [...keepPeriods(period, count, calendarIn(zone))(times)].sort(([a], [b]) => a - b);
      const keptLabels = kept.map(([index]) => labels[index]!);
      const oldestKept = kept.at(-1)?.[0] ?? -1;
      return (
        kept.length === Math.min(count, new Set(labels).size) &&
        new Set(keptLabels).size === kept.length && // no period twice
        kept.every(([index]) => labels.indexOf(labels[index]!) === index) && // the newest of its period
        labels.slice(0, oldestKept + 1).every((label) => keptLabels.includes(label)) && // no period skipped
        kept.every(([, reason], i) => reason === `${period} ${i + 1}/${count}`)
      );
    }),
    { numRuns: 500 },
  );
});

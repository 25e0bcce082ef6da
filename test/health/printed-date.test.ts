import test from 'ava';
import { parsePrintedDate } from '../../src/health/printed-date.js';

test('ctime as zpool prints it, read in the given zone', (t) => {
  t.is(parsePrintedDate('Thu Nov 26 23:48:49 2026', 'UTC'), '2026-11-26T23:48:49Z');
  t.is(parsePrintedDate('Thu Nov 26 23:48:49 2026', 'Europe/Athens'), '2026-11-26T21:48:49Z');
});

test('single-digit days are padded with a space', (t) => {
  t.is(parsePrintedDate('Wed Jul  7 21:51:51 2021', 'UTC'), '2021-07-07T21:51:51Z');
});

test('the date(1)-like form of zpool status -j without --json-int, with a 12-hour clock', (t) => {
  t.is(parsePrintedDate('Sun Jan 11 12:24:02 AM EST 2026', 'America/New_York'), '2026-01-11T05:24:02Z');
  t.is(parsePrintedDate('Sun Jan 11 05:31:02 PM EST 2026', 'America/New_York'), '2026-01-11T22:31:02Z');
  t.is(parsePrintedDate('Sun Jan 11 12:00:00 PM EST 2026', 'America/New_York'), '2026-01-11T17:00:00Z');
});

test('a zone abbreviation is ambiguous and the configured zone wins; UTC and offsets are trusted', (t) => {
  t.is(parsePrintedDate('Thu Nov 26 23:50:00 IST 2026', 'Asia/Kolkata'), '2026-11-26T18:20:00Z');
  t.is(parsePrintedDate('Thu Nov 26 23:50:00 UTC 2026', 'Asia/Kolkata'), '2026-11-26T23:50:00Z');
  t.is(parsePrintedDate('Thu Nov 26 23:50:00 +0200 2026', 'UTC'), '2026-11-26T21:50:00Z');
});

test('the weekday may be missing', (t) => {
  t.is(parsePrintedDate('Nov 26 23:48:49 2026', 'UTC'), '2026-11-26T23:48:49Z');
});

test('what is not a date is null', (t) => {
  for (const text of ['', '25/09/22', '-', 'Thu Nov 31 10:00:00 2026', 'Thu Nov 26 25:00:00 2026', 'Thu Foo 26 10:00:00 2026', '1795736929']) {
    t.is(parsePrintedDate(text, 'UTC'), null, text);
  }
});

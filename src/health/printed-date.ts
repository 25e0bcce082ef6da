/**
 * Dates as zpool prints them: ctime(3) in status text (`Sun Nov 26 23:48:49 2026`, days padded
 * with a space), and the date(1)-like form of `zpool status -j` without `--json-int`
 * (`Sun Jan 11 05:31:02 PM EST 2026`). Both are local time; a zone abbreviation is ambiguous
 * (IST, CST) so only UTC/GMT and numeric offsets are trusted, anything else is read in `timeZone`.
 */
import { daysInMonth } from '../time/civil.js';
import { isoSeconds } from '../time/iso.js';
import { instantOf, type WallTime } from '../time/zone.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** [weekday] month day hh:mm:ss [AM|PM] [zone] year */
const PRINTED = new RegExp(
  String.raw`^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})` +
    String.raw`(?:\s+([AP]M))?(?:\s+([A-Z]{2,5}|[+-]\d{2}:?\d{2}))?\s+(\d{4})$`,
);

/** The instant (ISO 8601, UTC) a printed date names; null when the text is not such a date. */
export function parsePrintedDate(text: string, timeZone: string): string | null {
  const m = PRINTED.exec(text.trim());
  if (!m) return null;
  const [, mon = '', day = '', hh = '', mm = '', ss = '', meridiem, zone, year = ''] = m;
  const wall: WallTime = {
    year: Number(year),
    month: MONTHS.indexOf(mon) + 1,
    day: Number(day),
    hour: (Number(hh) % (meridiem ? 12 : 24)) + (meridiem === 'PM' ? 12 : 0),
    minute: Number(mm),
    second: Number(ss),
  };
  if (Number(hh) > (meridiem ? 12 : 23) || !isValid(wall)) return null;
  const offset = zoneOffsetMs(zone);
  return isoSeconds(new Date(offset === null ? instantOf(wall, timeZone) : instantOf(wall, 'UTC') - offset));
}

function isValid(w: WallTime): boolean {
  return w.month >= 1 && w.day >= 1 && w.day <= daysInMonth(w.year, w.month) && w.hour <= 23 && w.minute <= 59 && w.second <= 59;
}

/** The offset of a zone that names it unambiguously; null for none or an abbreviation. */
function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === 'UTC' || zone === 'GMT') return 0;
  const m = zone ? /^([+-])(\d{2}):?(\d{2})$/.exec(zone) : null;
  if (!m) return null;
  const [, sign, h = '0', min = '0'] = m;
  return (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(min)) * 60_000;
}

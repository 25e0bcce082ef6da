/**
 * What zbk remembers of a pool from one report to the next (kept as JSON by the caller), and what
 * is new since then: a counter that grew, a device or pool that changed state, a scan that ended,
 * data errors, a worse alert. `--new-only` mails only when something at warning or above is new.
 */
import { isoSeconds } from '../time/iso.js';
import { severity, type Alert } from './alert.js';
import type { Assessment } from './assess.js';
import type { Device, PoolStatus, Scan } from './model.js';
import { formatNiceNumber } from './nicenum.js';
import type { PoolMemory } from './remembered.js';
import { COUNTERS, growthPhrase, riseOf, roseLast } from './rise.js';
import { lastScanEnd, lastScrubEnd, scansOf } from './scans.js';

export interface Change {
  readonly level: Exclude<Alert, 'ok'> | 'note';
  readonly text: string;
}

const BAD_STATES = new Set(['FAULTED', 'UNAVAIL', 'REMOVED']);

const day = (iso: string) => iso.slice(0, 10);
const counted = (devices: readonly Device[]) => devices.filter((d) => d.group !== 'spares');

export function remember(status: PoolStatus, alert: Alert, now: Date, previous: PoolMemory | null): PoolMemory {
  return {
    at: isoSeconds(now),
    state: status.state,
    alert,
    data_errors: status.data_errors,
    last_scan_end: lastScanEnd(status) ?? previous?.last_scan_end ?? null,
    last_scrub_end: lastScrubEnd(status, previous?.last_scrub_end ?? null),
    devices: new Map(
      counted(status.devices).map((d) => [d.name, { state: d.state, read: d.read, write: d.write, cksum: d.cksum, rose: roseLast(d, previous) }]),
    ),
  };
}

/** What is new in `status` since `previous`; a pool seen for the first time is new as a whole. */
export function changesSince(status: PoolStatus, assessment: Assessment, previous: PoolMemory | null): Change[] {
  const pool = status.name;
  if (!previous) {
    return assessment.alert === 'ok' ? [] : [{ level: assessment.alert, text: `${pool}: first report of this pool, ${assessment.alert}` }];
  }
  return [
    ...stateChange(pool, '', previous.state, status.state),
    ...counted(status.devices).flatMap((d) => deviceChanges(pool, d, previous)),
    ...scansOf(status).flatMap((s) => scanEnded(pool, s, previous.last_scan_end)),
    ...dataErrorChange(pool, previous.data_errors, status.data_errors),
    ...alertChange(pool, previous.alert, assessment.alert),
  ];
}

/** Whether a change is trouble worth a mail (warning or above). */
export function isTrouble(change: Change): boolean {
  return change.level !== 'note';
}

/** A pool (`device` empty) not ONLINE is critical, as is a device FAULTED, UNAVAIL or REMOVED. */
function stateChange(pool: string, device: string, before: string, now: string): Change[] {
  if (before === now) return [];
  const level = now === 'ONLINE' ? 'note' : !device || BAD_STATES.has(now) ? 'critical' : 'warning';
  return [{ level, text: `${pool}: ${device ? `${device}: ` : 'pool '}${before} → ${now}` }];
}

function deviceChanges(pool: string, d: Device, previous: PoolMemory): Change[] {
  const before = previous.devices.get(d.name) ?? { state: d.state, read: 0, write: 0, cksum: 0, rose: false };
  const grew = COUNTERS.some(([k]) => d[k] > before[k]);
  const cleared = COUNTERS.some(([k]) => d[k] < before[k]);
  return [
    ...stateChange(pool, d.name, before.state, d.state),
    ...(grew ? [{ level: 'warning' as const, text: `${pool}: ${d.name}: ${growthPhrase(d, before, previous.at, riseOf(d, previous))}` }] : []),
    ...(cleared && !grew ? [{ level: 'note' as const, text: `${pool}: ${d.name}: error counters cleared since ${day(previous.at)}` }] : []),
  ];
}

function scanEnded(pool: string, s: Scan, lastSeen: string | null): Change[] {
  if (!s.end_time || (lastSeen && Date.parse(s.end_time) <= Date.parse(lastSeen))) return [];
  const what = `${s.function}${s.vdev ? ` of ${s.vdev}` : ''}`;
  if (s.state !== 'finished') return [{ level: 'note', text: `${pool}: ${what} ${s.state} ${day(s.end_time)}` }];
  const amount = s.repaired_bytes ? `, ${s.function === 'scrub' ? 'repaired' : 'resilvered'} ${formatNiceNumber(s.repaired_bytes, true)}` : '';
  const repaired = s.function === 'scrub' && (s.repaired_bytes ?? 0) > 0;
  return [{ level: repaired ? 'warning' : 'note', text: `${pool}: ${what} finished ${day(s.end_time)}${amount}` }];
}

function dataErrorChange(pool: string, before: number | null, now: number | null): Change[] {
  return now !== null && now > (before ?? 0) ? [{ level: 'critical', text: `${pool}: data errors ${before ?? 'unknown'} → ${now}` }] : [];
}

function alertChange(pool: string, before: Alert, now: Alert): Change[] {
  if (before === now) return [];
  const level = severity(now) > severity(before) && now !== 'ok' ? now : 'note';
  return [{ level, text: `${pool}: ${before} → ${now}` }];
}

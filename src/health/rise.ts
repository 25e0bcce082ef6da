/**
 * Counters that climb. ZFS's READ/WRITE/CKSUM counters accumulate until `zpool clear`, so a disk
 * that heals 3, then 17, then 60 checksum errors a week apart shows it only when each report is
 * compared with the one before: the rise. A counter that fell was cleared; that report is a new
 * baseline, never a negative rise.
 */
import type { Device, Rise } from './model.js';
import type { PoolMemory, RememberedDevice } from './remembered.js';

export const COUNTERS = [
  ['read', 'read errors'],
  ['write', 'write errors'],
  ['cksum', 'checksum errors'],
] as const;

/** The device's rise since `previous`; null with no previous report, a device new since, or a counter that fell. */
export function riseOf(d: Device, previous: PoolMemory | null): Rise | null {
  const before = previous?.devices.get(d.name);
  if (!previous || !before || d.group === 'spares' || COUNTERS.some(([k]) => d[k] < before[k])) return null;
  return { read: d.read - before.read, write: d.write - before.write, cksum: d.cksum - before.cksum, since: previous.at };
}

export function rose(rise: Rise | null): rise is Rise {
  return rise !== null && rise.read + rise.write + rise.cksum > 0;
}

/**
 * Whether the last change of the device's counters a remembered report saw was a rise. Reports
 * that saw none carry it on: a daily mail between weekly scrubs does not break the run, a clear
 * or a new device does.
 */
export function roseLast(d: Device, previous: PoolMemory | null): boolean {
  const rise = riseOf(d, previous);
  if (rise === null) return false;
  return rose(rise) || (previous?.devices.get(d.name)?.rose ?? false);
}

/** `checksum errors 17 → 60 since 2026-11-24, +43`: the counters that grew, and by how much in all when that is known. */
export function growthPhrase(d: Device, before: Pick<RememberedDevice, 'read' | 'write' | 'cksum'>, since: string, rise: Rise | null): string {
  const grew = COUNTERS.filter(([k]) => d[k] > before[k]).map(([k, label]) => `${label} ${before[k]} → ${d[k]}`);
  const by = rise === null ? '' : `, +${rise.read + rise.write + rise.cksum}`;
  return `${grew.join(', ')} since ${since.slice(0, 10)}${by}`;
}

/** What a pool's scan lines say about scrubs and resilvers, for assessment, memory and planning. */
import type { PoolStatus, Scan } from './model.js';

/** Pools in these states cannot be scrubbed. */
const UNSCRUBBABLE = new Set(['FAULTED', 'UNAVAIL', 'SUSPENDED', 'UNKNOWN']);

export function canScrub(status: PoolStatus): boolean {
  return !UNSCRUBBABLE.has(status.state);
}

/** Every scan the output reports (the pool-wide one and dRAID rebuilds). */
export function scansOf(status: PoolStatus): Scan[] {
  return [status.scan, ...status.extra_scans].filter((s) => s.function !== 'none');
}

/** Scans running or paused now. */
export function activeScans(status: PoolStatus): Scan[] {
  return scansOf(status).filter((s) => s.state === 'in_progress' || s.state === 'paused');
}

/** When the last scan of any kind ended; null when none has. */
export function lastScanEnd(status: PoolStatus): string | null {
  return latest(scansOf(status).map((s) => s.end_time));
}

/**
 * When the last scrub finished. ZFS keeps only the latest scan, so after a resilver the pool no
 * longer says; `remembered` (from the previous report) fills that gap.
 */
export function lastScrubEnd(status: PoolStatus, remembered: string | null): string | null {
  const finished = scansOf(status).filter((s) => s.function === 'scrub' && s.state === 'finished');
  return latest([...finished.map((s) => s.end_time), remembered]);
}

function latest(times: ReadonlyArray<string | null>): string | null {
  return times.reduce<string | null>((a, t) => (t !== null && (a === null || Date.parse(t) > Date.parse(a)) ? t : a), null);
}

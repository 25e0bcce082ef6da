/**
 * Which pools `zbk scrub` starts a scrub on, and why each of the others is left alone: a pool
 * that is scrubbing or resilvering is busy, a FAULTED/UNAVAIL/SUSPENDED one cannot be scrubbed,
 * and a scrub is due when the last finished one is older than `maxAgeMs` or there is none.
 */
import { isoSeconds } from '../time/iso.js';
import type { PoolStatus } from './model.js';
import type { HealthMemory } from './remembered.js';
import { activeScans, canScrub, lastScrubEnd } from './scans.js';

export interface ScrubDecision {
  readonly pool: string;
  readonly scrub: boolean;
  readonly reason: string;
}

const DAY_MS = 86_400_000;

/** `memory` (the last report's) knows when a pool last scrubbed after a resilver has hidden it. */
export function planScrubs(pools: readonly PoolStatus[], maxAgeMs: number, now: Date, memory: HealthMemory = new Map()): ScrubDecision[] {
  return pools.map((status) => decide(status, maxAgeMs, now, memory.get(status.name)?.last_scrub_end ?? null));
}

function decide(status: PoolStatus, maxAgeMs: number, now: Date, remembered: string | null): ScrubDecision {
  const pool = status.name;
  const skip = (reason: string) => ({ pool, scrub: false, reason });
  if (!canScrub(status)) return skip(`pool is ${status.state}`);
  const [busy] = activeScans(status);
  if (busy) return skip(busy.state === 'paused' ? `scrub paused (resume it with \`zpool scrub ${pool}\`)` : `${busy.function} in progress`);
  const last = lastScrubEnd(status, remembered);
  if (last === null) return { pool, scrub: true, reason: 'no finished scrub on record' };
  const age = now.getTime() - Date.parse(last);
  const since = `last scrub finished ${last.slice(0, 10)}, ${Math.floor(age / DAY_MS)} days ago`;
  if (age > maxAgeMs) return { pool, scrub: true, reason: `${since} (max age ${Math.floor(maxAgeMs / DAY_MS)} days)` };
  return skip(`${since}; next due ${isoSeconds(new Date(Date.parse(last) + maxAgeMs)).slice(0, 10)}`);
}

/**
 * The shape of what zbk remembers of a pool between reports: read by the assessment and the
 * rise of counters, written by `memory.ts` (kept apart so that neither imports the other).
 */
import type { Alert } from './alert.js';

export interface RememberedDevice {
  readonly state: string;
  readonly read: number;
  readonly write: number;
  readonly cksum: number;
  /**
   * The last change of its counters that a report saw was a rise (kept across reports that saw
   * none, reset by a clear): a rise after a rise is a dying disk.
   */
  readonly rose: boolean;
}

export interface PoolMemory {
  /** When this was remembered. */
  readonly at: string;
  readonly state: string;
  readonly alert: Alert;
  readonly data_errors: number | null;
  readonly last_scan_end: string | null;
  /** Kept across resilvers, which replace the scrub in the pool's own record. */
  readonly last_scrub_end: string | null;
  /** By device name; spares (which have no counters) are left out. */
  readonly devices: ReadonlyMap<string, RememberedDevice>;
}

/** By pool name. Maps, not objects: a pool or device may be named `constructor` or `__proto__`. */
export type HealthMemory = ReadonlyMap<string, PoolMemory>;

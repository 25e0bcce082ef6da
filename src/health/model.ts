/**
 * What `zpool status` says about a pool, in every dialect, as plain JSON-serialisable data.
 * Field names follow the `zbk scrub-report --format json` contract (zbk(8)); instants are
 * ISO 8601 strings in UTC, counters and sizes are numbers.
 */

export type ScanFunction = 'scrub' | 'resilver' | 'none';
export type ScanState = 'finished' | 'in_progress' | 'canceled' | 'paused' | 'none';

export interface Scan {
  readonly function: ScanFunction;
  readonly state: ScanState;
  /** Bytes a scrub repaired or a resilver resilvered (so far, while running); null when not printed. */
  readonly repaired_bytes: number | null;
  /** The scan's "with N errors"; null when not printed (running, canceled, old formats). */
  readonly errors: number | null;
  readonly start_time: string | null;
  /** When it finished or was canceled. */
  readonly end_time: string | null;
  /** Percent done while running or paused. */
  readonly progress: number | null;
  /** Time to go as printed (`2 days 19:24:49`, `8h45m`). */
  readonly eta?: string;
  /** The top-level vdev of a dRAID sequential rebuild (`draid1:8d:12c:2s-0`); absent for pool-wide scans. */
  readonly vdev?: string;
}

export const NO_SCAN: Scan = {
  function: 'none',
  state: 'none',
  repaired_bytes: null,
  errors: null,
  start_time: null,
  end_time: null,
  progress: null,
};

/** The section of the config table a row is printed in. */
export type DeviceGroup = 'data' | 'dedup' | 'special' | 'logs' | 'cache' | 'spares';

/** `pool` is the first row, `vdev` a row with rows under it (mirror-0, raidz2-0, spare-1), `leaf` the rest. */
export type DeviceRole = 'pool' | 'vdev' | 'leaf';

export interface Device {
  readonly name: string;
  /** As zpool prints it: ONLINE, DEGRADED, FAULTED, OFFLINE, UNAVAIL, REMOVED; spares AVAIL or INUSE. */
  readonly state: string;
  readonly read: number;
  readonly write: number;
  readonly cksum: number;
  /** Text after the counters: `1.69M repaired`, `(resilvering)`, `was /dev/ada1`, `too many errors`. */
  readonly note: string | null;
  /** 0 for the pool row, 1 for top-level vdevs (of any group), 2 below them, and so on. */
  readonly depth: number;
  readonly role: DeviceRole;
  readonly group: DeviceGroup;
}

export interface PoolStatus {
  readonly name: string;
  /** The pool's state line: ONLINE, DEGRADED, FAULTED, SUSPENDED, UNAVAIL; `UNKNOWN` when not printed. */
  readonly state: string;
  /** The `status:` text, wrapped lines joined. */
  readonly status: string | null;
  readonly action: string | null;
  /** ZFS-8000-xx from the `see:` line. */
  readonly status_id: string | null;
  /** The first scan line (the only one outside dRAID). */
  readonly scan: Scan;
  /** Further scan lines: dRAID prints one per sequential rebuild. */
  readonly extra_scans: readonly Scan[];
  /** Every row of the config table, in printed order. */
  readonly devices: readonly Device[];
  /** Files or objects with permanent errors; null when the output does not say. */
  readonly data_errors: number | null;
  /** The first MAX_ERROR_FILES of them as listed (`data_errors` counts them all). */
  readonly error_files: readonly string[];
  /** "Permanent errors have been detected" was printed, even if no file follows it. */
  readonly permanent_errors: boolean;
  /**
   * Percent of the pool in use as this output says it (JSON carries sizes; text does not): null
   * when it does not. The report's `capacity` prefers what `zpool list` says (src/health/report.ts).
   */
  readonly capacity: number | null;
  /**
   * Lines of this pool's block not understood where trouble could hide: a config-table row, an
   * `errors:` section, a scan line that counts errors, a message that names a failure. They make
   * the verdict UNKNOWN.
   */
  readonly unknown_lines: readonly string[];
  /**
   * Lines not understood that cannot hide trouble (a header zbk does not know, a new scan or trim
   * wording): shown as a note, the verdict stays what the rest of the output says.
   */
  readonly unfamiliar_lines: readonly string[];
}

/** How many damaged files a pool keeps listed; a million-line list is counted, not kept. */
export const MAX_ERROR_FILES = 1000;

/** One `zpool status` output: its pools, and what it says for the system as a whole. */
export interface ParsedStatus {
  readonly pools: readonly PoolStatus[];
  /** `all pools are healthy`, `no pools available`, `pool 'tank' is healthy`. */
  readonly notes: readonly string[];
  /** Lines that belong to no pool and were not understood (only when there is no pool at all). */
  readonly unknown_lines: readonly string[];
}

/**
 * How much a device's counters grew since the previous remembered report of its pool (`since`,
 * that report's instant). Counters only grow until `zpool clear`: one that fell starts a new
 * baseline, and there is no rise to tell.
 */
export interface Rise {
  readonly read: number;
  readonly write: number;
  readonly cksum: number;
  readonly since: string;
}

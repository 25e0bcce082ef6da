/** The validated configuration, as the rest of zbk sees it (zbk.toml(5) names the keys). */
import type { Duration } from '../util/duration.js';
import type { Policy } from '../retention/policy.js';
import type { Source } from '../sync/source.js';

export type BlockSize = 'auto' | 'rsync' | number;

export interface Job {
  readonly name: string;
  readonly dataset: string;
  /** Where rsync pulls from (ssh `user@host:/path/`, `rsync://…`, a local path), parsed; null for a snapshot-only job. */
  readonly source: Source | null;
  readonly schedule: string;
  readonly retentionName: string;
  readonly retention: Policy;
  readonly exclude: readonly string[];
  readonly rsyncArgs: readonly string[];
  readonly blockSize: BlockSize;
  readonly recordsize: string | null;
  readonly sshKey: string | null;
  readonly sshPort: number;
  readonly knownHosts: string | null;
  readonly passwordFile: string | null;
  readonly timeout: Duration | null;
  readonly preHook: string | null;
  readonly postHook: string | null;
  /** How long a pre or post hook may run before its process group is stopped. */
  readonly hookTimeout: Duration;
  readonly staleAfter: Duration;
  /** Names of the targets (`[[target]]`) that receive this job's snapshots; each one exists. */
  readonly replicate: readonly string[];
}

/** A `[[target]]`: a second ZFS box (over ssh) or a pool on this machine that receives copies of the jobs' datasets. */
export interface Target {
  readonly name: string;
  /** ssh destination (`user@host` or `host`); null: a pool on this machine. */
  readonly host: string | null;
  /** Job J is received as `${dataset}/${J}`. */
  readonly dataset: string;
  readonly sshKey: string | null;
  readonly sshPort: number;
  readonly knownHosts: string | null;
  /** The zfs command on the target. */
  readonly zfs: string;
  /** null: each job's own policy prunes its copies. */
  readonly retentionName: string | null;
  readonly retention: Policy | null;
  /** cron; null: right after each job's run (the daemon). */
  readonly schedule: string | null;
  readonly timeout: Duration;
  readonly staleAfter: Duration;
}

export interface Config {
  /** The file this came from, or null for the built-in defaults. */
  readonly file: string | null;
  readonly prefix: string;
  readonly timeZone: string;
  readonly stateDir: string;
  readonly destroyBatch: number;
  readonly stopTimeout: Duration;
  readonly tools: { readonly zfs: string; readonly zpool: string };
  readonly policies: ReadonlyMap<string, Policy>;
  readonly jobs: readonly Job[];
  readonly targets: readonly Target[];
  readonly scrub: {
    readonly pools: readonly string[];
    readonly maxAge: Duration;
    readonly schedule: string;
    readonly capacityWarn: number;
    readonly capacityCrit: number;
  };
  readonly alert: { readonly command: string | null };
}

/** What every command needs from its arguments: the config, the clock, the jobs it names. */
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { createRunner } from '../zfs/exec.js';
import { Zfs } from '../zfs/zfs.js';
import { usageError } from './errors.js';

export interface CommonArgs {
  readonly config?: string;
  readonly format?: string;
  readonly now?: string;
  readonly job?: string[];
}

export function configFor(args: CommonArgs, options: { optional?: boolean; schedules?: boolean } = {}): Promise<Config> {
  return loadConfig({ path: args.config, ...options });
}

let makeZfs = (config: Config): Zfs => new Zfs(createRunner(config.tools));

/** The Zfs a command works with: on the config's zfs and zpool. */
export function zfsFor(config: Config): Zfs {
  return makeZfs(config);
}

/** The seam for the commands' unit tests: every command gets `zfs` (a replay) until the returned function is called. */
export function useZfs(zfs: Zfs): () => void {
  const before = makeZfs;
  makeZfs = () => zfs;
  return () => {
    makeZfs = before;
  };
}

/** `--now` or the clock. Accepts ISO 8601 with a zone; a bare date-time is an error, not a guess. */
export function clock(args: CommonArgs): Date {
  if (args.now === undefined) return new Date();
  const text = args.now;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(text);
  const t = new Date(text);
  if (!ok || Number.isNaN(t.getTime())) {
    throw usageError(`--now ${text}: not an ISO 8601 instant with a zone (e.g. 2026-11-26T03:00:00Z)`);
  }
  return t;
}

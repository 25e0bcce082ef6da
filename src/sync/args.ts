/**
 * The rsync command line for one job's pull. Pure: the job comes in as data.
 *
 * Always `-aH --numeric-ids --delete --inplace --no-whole-file --stats`: `--inplace` and
 * `--no-whole-file` make rsync rewrite only the changed blocks of a file (a local copy
 * would otherwise rewrite whole files, and every snapshot would hold a full copy).
 * Then, in this order: the I/O timeout, the block size, the excludes, how to reach the
 * source (ssh's `-e`, or the daemon's password file), progress, the job's own
 * `rsync_args` (last, so that they can override), the source and the destination.
 */
import { type Source, sourceOperand } from './source.js';

export interface SyncJob {
  /** Parsed by parseSource when the config is read. */
  readonly source: Source;
  readonly exclude: readonly string[];
  readonly rsyncArgs: readonly string[];
  /** The job's `timeout`; rsync's own I/O timeout is derived from it. */
  readonly timeoutMs: number;
  /** ssh sources only (other sources ignore them; the config check reports them). */
  readonly sshKey?: string;
  readonly sshPort?: number;
  readonly knownHosts?: string;
  /** rsync:// sources only. */
  readonly passwordFile?: string;
}

export interface ArgvOptions {
  /** The dataset's mountpoint. */
  readonly destination: string;
  /** From blockSizeFor; null leaves the choice to rsync. */
  readonly blockSize: number | null;
  /** Overall progress (`--info=progress2`), for a run on a terminal. */
  readonly progress: boolean;
}

/**
 * rsync's `--timeout` ends a transfer on which no data moved for that long (rsync sends
 * keep-alives while it checksums big files). Ten minutes tells a dead link from a slow
 * one; a shorter job timeout wins, since the whole run is stopped then anyway.
 */
const MAX_IO_TIMEOUT_S = 600;

/** rsync's largest block size for protocol 30 and later (rsync 3.0+). */
const MAX_BLOCK_SIZE = 131072;

export function rsyncArgv(job: SyncJob, options: ArgvOptions): string[] {
  return [
    '-aH', '--numeric-ids', '--delete', '--inplace', '--no-whole-file', '--stats',
    `--timeout=${ioTimeoutSeconds(job.timeoutMs)}`,
    ...(options.blockSize === null ? [] : [`--block-size=${options.blockSize}`]),
    ...job.exclude.map((pattern) => `--exclude=${pattern}`),
    ...transportArgs(job),
    ...(options.progress ? ['--info=progress2'] : []),
    ...job.rsyncArgs,
    sourceOperand(job.source),
    options.destination,
  ];
}

function ioTimeoutSeconds(jobTimeoutMs: number): number {
  return Math.max(1, Math.min(MAX_IO_TIMEOUT_S, Math.ceil(jobTimeoutMs / 1000)));
}

function transportArgs(job: SyncJob): string[] {
  switch (job.source.kind) {
    case 'local':
      return [];
    case 'ssh':
      return ['-e', sshCommand(job).map(quoteForRsync).join(' ')];
    case 'daemon':
      return job.passwordFile === undefined ? [] : [`--password-file=${job.passwordFile}`];
  }
}

/**
 * ssh never asks (BatchMode), never accepts an unknown host key (StrictHostKeyChecking),
 * and prints errors only (LogLevel=ERROR keeps a login banner out of rsync's stderr,
 * where it would read as a complaint; connection errors still show). A host that does not
 * answer is given up after 30 s, not TCP's minutes; a link that dies later is caught by
 * ServerAlive (and rsync's own --timeout).
 */
export function sshCommand(job: Pick<SyncJob, 'sshKey' | 'sshPort' | 'knownHosts'>): string[] {
  return [
    'ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'LogLevel=ERROR',
    '-o', 'ConnectTimeout=30', '-o', 'ServerAliveInterval=60',
    ...(job.sshKey === undefined ? [] : ['-i', job.sshKey]),
    ...(job.sshPort === undefined ? [] : ['-p', String(job.sshPort)]),
    ...(job.knownHosts === undefined ? [] : ['-o', `UserKnownHostsFile=${job.knownHosts}`]),
  ];
}

/**
 * rsync splits the `-e` command itself, on spaces only: single or double quotes keep
 * spaces, a doubled quote inside quotes is one quote, and backslashes are plain characters.
 */
function quoteForRsync(word: string): string {
  return word !== '' && !/[ '"]/.test(word) ? word : `'${word.replaceAll("'", "''")}'`;
}

export type BlockSizeSetting = 'auto' | 'rsync' | number;

/**
 * The `--block-size` for a job: 'auto' is the dataset's recordsize when rsync can use it
 * (<= 128K), so that a changed block rewrites whole records and unchanged records stay
 * shared with the snapshots; 'rsync' leaves the choice to rsync (null); a number is used
 * as it is. Returns an error message for a number rsync would refuse.
 */
export function blockSizeFor(setting: BlockSizeSetting, recordsizeBytes: number): number | null | string {
  if (setting === 'rsync') return null;
  if (setting === 'auto') return recordsizeBytes <= MAX_BLOCK_SIZE ? recordsizeBytes : null;
  if (!Number.isInteger(setting) || setting < 1 || setting > MAX_BLOCK_SIZE) {
    return `block_size ${setting} is not a whole number of bytes from 1 to ${MAX_BLOCK_SIZE} (rsync's largest)`;
  }
  return setting;
}

/**
 * The rsync command line for one job's pull. Pure: the job comes in as data.
 *
 * Always `-aH --numeric-ids --delete --inplace --no-whole-file --stats`: `--inplace` and
 * `--no-whole-file` make rsync rewrite only the changed blocks of a file (a local copy
 * would otherwise rewrite whole files, and every snapshot would hold a full copy).
 * Then, in this order: the I/O timeout, the block size, the excludes, how to reach the
 * source (ssh's `-e`, or the daemon's password file), progress, the job's own
 * `rsync_args` (last, so that they can override), the source and the destination.
 *
 * Remote paths stay literal with any rsync. rsync 3.2.4 and later backslash-escape what
 * the remote shell would read (unless RSYNC_OLD_ARGS is in the environment); older ones
 * hand the path to the remote shell as it is, where `/srv/my files` is two paths and
 * `/srv/$(x)` runs x. So an ssh source whose path holds anything but
 * [A-Za-z0-9/._+,:@%=-] gets `--protect-args` (`-s`, --secluded-args since 3.2.6): the
 * path then travels inside rsync's protocol, never through a shell, with every rsync
 * since 3.0.0 on both ends and whatever the environment says. Plain paths go without
 * it, so that a remote rsync older than 3.0.0 still serves them. (Wildcards and
 * backslashes, which the remote rsync itself would expand, are refused by parseSource.)
 */
import { hasControl } from '../util/control.js';
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

interface ArgvOptions {
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
    ...job.exclude.map(excludeArg),
    ...transportArgs(job),
    ...(options.progress ? ['--info=progress2'] : []),
    ...job.rsyncArgs,
    sourceOperand(job.source),
    options.destination,
  ];
}

export function ioTimeoutSeconds(jobTimeoutMs: number): number {
  return Math.max(1, Math.min(MAX_IO_TIMEOUT_S, Math.ceil(jobTimeoutMs / 1000)));
}

/**
 * `--exclude=PATTERN` is a filter rule with "- " implied, and rsync still reads rsync 2's
 * prefixes in it (exclude.c, XFLG_OLD_PREFIXES): a leading "+ " makes it an INCLUDE,
 * a leading "- " is dropped, and "!" alone clears every exclude before it. The config
 * refuses those (config/job.ts: whoever wrote them meant a rule zbk does not take); here,
 * for any caller, such a pattern gets an explicit "- " so that it means itself: rsync
 * reads one prefix only, so `- + x` excludes a name "+ x". Wildcards (* ? [ **) and
 * the trailing "/" (directories only) and leading "/" (anchored at the source) are
 * what an exclude is for, and keep their meaning.
 */
export function excludeArg(pattern: string): string {
  return `--exclude=${/^([+-] |!$)/.test(pattern) ? `- ${pattern}` : pattern}`;
}

/** Characters every remote shell reads as themselves. */
const SHELL_PLAIN = /^[A-Za-z0-9/._+,:@%=-]*$/;

/** How rsync reaches the source (ssh's `-e`, `--protect-args`, the daemon's password file): the same for a pull and a restore's push. */
export function transportArgs(job: SyncJob): string[] {
  switch (job.source.kind) {
    case 'local':
      return [];
    case 'ssh':
      return [
        ...(SHELL_PLAIN.test(job.source.path) ? [] : ['--protect-args']),
        '-e', sshCommand(job).map(quoteForRsync).join(' '),
      ];
    case 'daemon':
      return job.passwordFile === undefined ? [] : [`--password-file=${job.passwordFile}`];
  }
}

/**
 * ssh reads an -o value as a list of words: UserKnownHostsFile takes several files,
 * separated by spaces, so the path is put in double quotes, which every ssh reads as one
 * word (old ones with strdelim, 8.7+ with argv_split). The config refuses `"` and `\` in
 * the path (the one would end the quotes, the other escape in new ssh only) and `%` and
 * `$` (ssh expands %-tokens and ${VAR} in it).
 *
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
    ...(job.knownHosts === undefined ? [] : ['-o', `UserKnownHostsFile="${job.knownHosts}"`]),
  ];
}

/**
 * rsync splits the `-e` command itself, on spaces only: single or double quotes keep
 * spaces, a doubled quote inside quotes is one quote, and backslashes are plain characters.
 */
function quoteForRsync(word: string): string {
  return word !== '' && !/[ '"]/.test(word) ? word : `'${word.replaceAll("'", "''")}'`;
}

type BlockSizeSetting = 'auto' | 'rsync' | number;

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

/**
 * rsync_args that would defeat what zbk relies on, with why. The job's arguments come last,
 * so they may change how rsync copies (--bwlimit, -AX, --delete-excluded, --timeout=...),
 * but not what it copies from and to, the source host's files, or the transport:
 *
 * - a word that is not an option (`/etc`, `host:/`) is one more source, copied into the
 *   dataset and mirrored with --delete; `--` makes every word after it one. An option
 *   with a value must be one word: `--bwlimit=1000`, not `--bwlimit 1000`.
 * - --remove-source-files (and its old name --remove-sent-files) deletes on the host.
 * - -e/--rsh replaces zbk's ssh command (BatchMode, StrictHostKeyChecking, the key, the
 *   port, known_hosts): set ssh_key, ssh_port and known_hosts instead.
 * - --old-args and --no-protect-args (--no-secluded-args, --no-s) give the remote path to
 *   the remote shell again.
 * - --server, --sender and --daemon make rsync speak its protocol or serve; --read-batch
 *   applies a batch file instead of pulling the source.
 * - --write-batch and --only-write-batch (over)write a file elsewhere, as root; and
 *   --backup-dir, --partial-dir and --temp-dir (-T) move or write files outside the
 *   dataset when their directory is absolute or climbs out with "..". (Relative ones
 *   are inside the destination, and fine.)
 * - -M/--remote-option passes its value to the remote rsync: it is checked the same way.
 */
const REFUSED_OPTIONS = new Map<string, string>([
  ['--remove-source-files', 'deletes files on the host'],
  ['--remove-sent-files', 'deletes files on the host'],
  ['--rsh', "replaces zbk's ssh command: use ssh_key, ssh_port and known_hosts"],
  ['--old-args', 'hands the remote path to the remote shell'],
  ['--no-protect-args', 'hands the remote path to the remote shell'],
  ['--no-secluded-args', 'hands the remote path to the remote shell'],
  ['--no-s', 'hands the remote path to the remote shell'],
  ['--server', 'is internal to rsync'],
  ['--sender', 'is internal to rsync'],
  ['--daemon', 'starts an rsync daemon'],
  ['--read-batch', 'applies a batch file instead of pulling the source'],
  ['--write-batch', 'writes a file outside the dataset'],
  ['--only-write-batch', 'writes a file outside the dataset'],
]);
/** Options whose directory is where rsync moves or writes files: it must stay inside the destination. */
const INSIDE_DIRS = new Set(['--backup-dir', '--partial-dir', '--temp-dir']);
/** Short options that take a value: the rest of their word is it. */
const SHORT_WITH_VALUE = 'eBTfM@';

export function rsyncArgsProblems(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const why = refusedArg(arg);
    return why === null ? [] : [`${JSON.stringify(arg)} ${why}`];
  });
}

function refusedArg(arg: string): string | null {
  if (hasControl(arg)) return 'holds a control character';
  if (arg === '--') return 'makes the words after it sources';
  if (!arg.startsWith('-') || arg === '-') {
    return 'is not an option: it would be one more source (write an option with its value as one word, --opt=value)';
  }
  if (arg.startsWith('--')) {
    const [name, value] = splitLong(arg);
    if (name === '--remote-option') return value === null ? 'needs its value in the same word' : remoteOption(value);
    if (INSIDE_DIRS.has(name)) return value === null ? 'needs its value in the same word' : outsideDir(value);
    return REFUSED_OPTIONS.get(name) ?? null;
  }
  for (let i = 1; i < arg.length; i++) {
    const letter = arg[i]!;
    if (letter === 'e') return REFUSED_OPTIONS.get('--rsh')!;
    if (!SHORT_WITH_VALUE.includes(letter)) continue;
    const value = arg.slice(i + 1);
    if (value === '') return 'needs its value in the same word';
    if (letter === 'M') return remoteOption(value);
    return letter === 'T' ? outsideDir(value) : null;
  }
  return null;
}

function remoteOption(value: string): string | null {
  const why = refusedArg(value);
  return why === null ? null : `passes ${JSON.stringify(value)}, which ${why}`;
}

function outsideDir(dir: string): string | null {
  return dir.startsWith('/') || dir.split('/').includes('..') ? `would move or write files outside the dataset (${dir})` : null;
}

function splitLong(arg: string): [string, string | null] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, null] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

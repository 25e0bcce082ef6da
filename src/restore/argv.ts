/**
 * The rsync command line of a restore: a snapshot view pushed into a directory or back onto the
 * host. Pure: the job comes in as data, as for the pull (src/sync/args.ts, whose I/O timeout,
 * excludes and transport — ssh's hardened `-e`, `--protect-args`, the daemon's password file —
 * are used as they are).
 *
 *   rsync -aH --numeric-ids --relative --no-implied-dirs --timeout=N [--exclude=…] [transport]
 *         [the job's rsync_args a push keeps] [--acls] [--xattrs] [--delete]
 *         --out-format=%i %n [-n] -- VIEW/./www/index.html VIEW/./etc DESTINATION
 *
 * - `-aH --numeric-ids`: owners and groups by number, modes, times, links, devices, hard links
 *   (among everything one restore copies). `--acls`/`--xattrs` when the job pulls them
 *   (`-A`/`-X`, `--acls`/`--xattrs`, also inside `-aAX`), placed after everything from the job
 *   so that nothing the job says after them turns them off; rsync itself sets xattrs after
 *   ownership (a chown clears security.capability).
 * - `--relative` with `VIEW/./inner`: each PATH lands at its place under the destination, which
 *   stands for the source directory; the job's anchored excludes (`/proc/`) mean what they
 *   mean in the pull, and keep what the pull never copied from being deleted with --delete.
 *   `--no-implied-dirs`: the parents of PATH on the destination are left as they are (missing
 *   ones are made with default modes), so restoring one file does not reset /etc.
 * - Nothing is deleted unless --delete (and never --delete-excluded).
 * - The operands come after `--`, and each starts with the view's absolute directory: no PATH
 *   can be read as an option.
 * - Every change is itemized on stdout (`%i %n`, read by src/sync/itemize.ts); `-n` for --dry-run.
 */
import { excludeArg, ioTimeoutSeconds, transportArgs, type SyncJob } from '../sync/args.js';
import { sourceOperand } from '../sync/source.js';

export interface PushOptions {
  /** The view's directory (absolute). */
  readonly view: string;
  /** Paths inside the dataset ('' for its root), already checked (host-path.ts). */
  readonly inner: readonly string[];
  /** Where to: a local directory, or null for the job's source over its transport. */
  readonly to: string | null;
  readonly dryRun: boolean;
  readonly delete: boolean;
}

export interface Extras {
  /** Passed to the push, in the job's order. */
  readonly kept: string[];
  /** Left out, each with why. */
  readonly dropped: { readonly arg: string; readonly why: string }[];
  readonly acls: boolean;
  readonly xattrs: boolean;
}

/**
 * The job's rsync_args a push keeps: those that say how to move data (compression, bandwidth,
 * timeouts, the remote rsync's path, IP version, sparse files, checksums), which files (filter
 * rules), and metadata that -a already implies. The rest is left out, and said so:
 */
const KEPT_LONG = new Set([
  '--archive', '--hard-links', '--numeric-ids', '--links', '--perms', '--times', '--owner', '--group', '--devices', '--specials',
  '--executability', '--fake-super', '--acls', '--xattrs',
  '--compress', '--compress-level', '--compress-choice', '--zc', '--zl', '--skip-compress', '--sparse', '--checksum', '--checksum-choice', '--cc',
  '--bwlimit', '--timeout', '--contimeout', '--ipv4', '--ipv6', '--sockopts', '--blocking-io', '--rsync-path', '--iconv', '--modify-window',
  '--exclude', '--include', '--filter', '--exclude-from', '--include-from', '--cvs-exclude',
]);
const KEPT_SHORT = 'aHlptogDEzSc46AXC';
/** Short options whose value is the rest of the word (as args.ts), and which of them are kept. */
const SHORT_WITH_VALUE = 'eBTfM@';
const KEPT_SHORT_WITH_VALUE = 'f@';

const DELETES = 'deletes on the destination: a restore deletes only with --delete';
/** Why the options a pull is likely to carry are left out. */
const DROPPED_WHY: ReadonlyArray<[RegExp, string]> = [
  [/^--(delete|del$|remove-)/, DELETES],
  [/^--(inplace|no-whole-file|whole-file|block-size|append)/, "the pull's way of writing into the dataset: a restore writes each file anew and renames it into place"],
  [/^--(verbose|stats|progress|info|debug|itemize-changes|out-format|log-format|quiet|human-readable|8-bit-output)$/, 'changes what rsync prints, which zbk reads'],
  [/^--(chmod|chown|usermap|groupmap|copy-|safe-links|munge-links|no-)/, 'changes the metadata or links restored'],
];
const LETTER_NAMES: Readonly<Record<string, string>> = { v: '--verbose', q: '--quiet', h: '--human-readable', i: '--itemize-changes', P: '--progress', L: '--copy-links', k: '--copy-dirlinks', K: '--keep-dirlinks', W: '--whole-file' };

function droppedWhy(name: string): string {
  return DROPPED_WHY.find(([re]) => re.test(name))?.[1] ?? 'not taken for a restore (zbk(8) lists the rsync_args a restore keeps)';
}

export function pushExtras(rsyncArgs: readonly string[]): Extras {
  const kept: string[] = [];
  const dropped: { arg: string; why: string }[] = [];
  let acls = false;
  let xattrs = false;
  for (const arg of rsyncArgs) {
    if (arg.startsWith('--')) {
      const name = arg.split('=', 1)[0]!;
      if (name === '--acls') acls = true;
      else if (name === '--xattrs') xattrs = true;
      else if (KEPT_LONG.has(name)) kept.push(arg);
      else dropped.push({ arg, why: droppedWhy(name) });
      continue;
    }
    // A cluster of short options (config/job.ts has refused non-options already).
    let letters = '';
    let valued: string | null = null;
    for (let i = 1; i < arg.length; i++) {
      const letter = arg[i]!;
      if (SHORT_WITH_VALUE.includes(letter)) {
        const word = `-${letter}${arg.slice(i + 1)}`;
        if (KEPT_SHORT_WITH_VALUE.includes(letter)) valued = word;
        else dropped.push({ arg: word, why: droppedWhy(letter === 'B' ? '--block-size' : '') });
        break;
      }
      if (letter === 'A') acls = true;
      else if (letter === 'X') xattrs = true;
      else if (KEPT_SHORT.includes(letter)) letters += letter;
      else dropped.push({ arg: `-${letter}`, why: droppedWhy(LETTER_NAMES[letter] ?? '') });
    }
    if (letters !== '') kept.push(`-${letters}`);
    if (valued !== null) kept.push(valued);
  }
  return { kept, dropped, acls, xattrs };
}

/** The destination operand: DIR/, or the job's source as the pull spells it. */
export function destinationOperand(job: SyncJob, to: string | null): string {
  return to === null ? sourceOperand(job.source) : to.endsWith('/') ? to : `${to}/`;
}

export function pushArgv(job: SyncJob, o: PushOptions): string[] {
  const extras = pushExtras(job.rsyncArgs);
  const view = o.view.replace(/\/+$/, '');
  if (!view.startsWith('/')) throw new Error(`internal error: the view ${JSON.stringify(o.view)} is not absolute`);
  return [
    '-aH', '--numeric-ids', '--relative', '--no-implied-dirs',
    `--timeout=${ioTimeoutSeconds(job.timeoutMs)}`,
    ...job.exclude.map(excludeArg),
    ...(o.to === null ? transportArgs(job) : []),
    ...extras.kept,
    ...(extras.acls ? ['--acls'] : []),
    ...(extras.xattrs ? ['--xattrs'] : []),
    ...(o.delete ? ['--delete'] : []),
    '--out-format=%i %n',
    ...(o.dryRun ? ['-n'] : []),
    '--',
    ...o.inner.map((p) => (p === '' ? `${view}/./` : `${view}/./${p}`)),
    destinationOperand(job, o.to),
  ];
}

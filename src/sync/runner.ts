/**
 * Runs rsync: the only code in src/sync/ that touches the world.
 *
 * rsync starts in its own process group (src/process/group.ts), so that stopping it (job
 * timeout, or the caller's AbortSignal) reaches everything it started: its forked children
 * and ssh. The flip side: a Ctrl-C on zbk's terminal does not reach rsync directly, so the
 * caller turns its own signals into an abort. rsync runs with LC_ALL=C, for English
 * messages and stable number formats.
 *
 * stdout is read as it comes: progress lines go to onProgress, the rest is kept, as is
 * stderr, up to their last lines.
 */
import { performance } from 'node:perf_hooks';
import { runInGroup, type GroupTracker } from '../process/group.js';
import { classifyRsyncExit, interrupted, type Outcome } from './exit-policy.js';
import { LineTail } from './line-tail.js';
import { formatClock, parseProgressLine, type Progress } from './progress.js';
import { parseRsyncStats, type RsyncStats } from './stats.js';

interface RunOptions {
  /** The rsync binary: a path, or a name looked up on PATH. Default 'rsync'. */
  readonly rsync?: string;
  /** The job's timeout (longer than Node's timers allow, about 24.8 days, counts as that). */
  readonly timeoutMs: number;
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
  /** Added to zbk's own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long rsync has to stop after SIGTERM before SIGKILL. Default 10 s. */
  readonly killGraceMs?: number;
  /** The job's lock, which records rsync's process group while it runs. */
  readonly tracker?: GroupTracker;
}

interface RsyncRun {
  /** null when a signal ended rsync, or when it could not start. */
  readonly code: number | null;
  readonly signal: string | null;
  /** The last lines of stdout, progress left out. */
  readonly stdout: string;
  /** The last lines of stderr. */
  readonly stderr: string;
  readonly stats: RsyncStats | null;
  readonly outcome: Outcome;
  readonly message: string;
  readonly durationMs: number;
}

const KEPT_LINES = 200;
const KILL_GRACE_MS = 10_000;

export async function runRsync(argv: readonly string[], options: RunOptions): Promise<RsyncRun> {
  const started = performance.now();
  const rsync = options.rsync ?? 'rsync';
  const stdout = new LineTail(KEPT_LINES, (line) => {
    const progress = parseProgressLine(line);
    if (progress) options.onProgress?.(progress);
    return progress === null;
  });
  const stderr = new LineTail(KEPT_LINES);
  const result = await runInGroup(rsync, argv, {
    env: { LC_ALL: 'C', ...options.env },
    timeoutMs: options.timeoutMs,
    killGraceMs: options.killGraceMs ?? KILL_GRACE_MS,
    onStdout: (chunk) => stdout.push(chunk),
    onStderr: (chunk) => stderr.push(chunk),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.tracker ? { tracker: options.tracker } : {}),
  });
  stdout.end();
  stderr.end();

  const { code, signal, stopped } = result;
  const stderrText = stderr.text();
  const verdict = result.spawnError !== null
    ? { outcome: 'failed' as const, message: `could not run ${rsync}: ${result.spawnError}` }
    : stopped !== null && code !== 0 // rsync that finished as the stop came is done
      ? interrupted(stopped === 'timeout' ? `timed out after ${formatClock(options.timeoutMs / 1000)}` : 'aborted')
      : classifyRsyncExit(code, signal, stderrText);
  const stdoutText = stdout.text();
  return {
    code,
    signal,
    stdout: stdoutText,
    stderr: stderrText,
    stats: parseRsyncStats(stdoutText),
    outcome: verdict.outcome,
    message: verdict.message,
    durationMs: Math.round(performance.now() - started),
  };
}

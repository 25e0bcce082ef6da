/**
 * Runs rsync: the only code in src/sync/ that touches the world.
 *
 * rsync starts in its own process group, so that stopping it (job timeout, or the
 * caller's AbortSignal) reaches everything it started: its forked children and ssh.
 * Stopping sends SIGTERM to the group, SIGKILL after a grace period, and after rsync is
 * gone SIGKILL to whatever of the group is left. The flip side: a Ctrl-C on zbk's
 * terminal does not reach rsync directly, so the caller turns its own signals into an
 * abort. rsync runs with LC_ALL=C, for English messages and stable number formats.
 *
 * stdout is read as it comes: progress lines go to onProgress, the rest is kept, as is
 * stderr, up to their last lines.
 */
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { classifyRsyncExit, interrupted, type Outcome } from './exit-policy.js';
import { LineTail } from './line-tail.js';
import { formatClock, parseProgressLine, type Progress } from './progress.js';
import { parseRsyncStats, type RsyncStats } from './stats.js';

export interface RunOptions {
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
}

export interface RsyncRun {
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
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function runRsync(argv: readonly string[], options: RunOptions): Promise<RsyncRun> {
  const started = performance.now();
  const rsync = options.rsync ?? 'rsync';
  const stdout = new LineTail(KEPT_LINES, (line) => {
    const progress = parseProgressLine(line);
    if (progress) options.onProgress?.(progress);
    return progress === null;
  });
  const stderr = new LineTail(KEPT_LINES);
  const child = execa(rsync, argv, {
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    env: { LC_ALL: 'C', ...options.env },
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const stopper = new GroupStopper(child.pid, options.killGraceMs ?? KILL_GRACE_MS);
  const timer = setTimeout(() => stopper.stop(`timed out after ${formatClock(options.timeoutMs / 1000)}`), Math.min(options.timeoutMs, MAX_TIMER_MS));
  const onAbort = (): void => stopper.stop('aborted');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = await child;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  stopper.finish();
  stdout.end();
  stderr.end();

  const code = result.exitCode ?? null;
  const signal = result.signal ?? null;
  const stderrText = stderr.text();
  const verdict = code === null && signal === null
    ? { outcome: 'failed' as const, message: `could not run ${rsync}: ${result.originalMessage}` }
    : stopper.reason !== null && code !== 0 // a stop that came after rsync had finished changes nothing
      ? interrupted(stopper.reason)
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

/** Stops a process group: SIGTERM, then SIGKILL after a grace period. */
class GroupStopper {
  reason: string | null = null;
  readonly #pgid: number | undefined;
  readonly #graceMs: number;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(pgid: number | undefined, graceMs: number) {
    this.#pgid = pgid;
    this.#graceMs = graceMs;
  }

  stop(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.#signal('SIGTERM');
    this.#killTimer = setTimeout(() => this.#signal('SIGKILL'), this.#graceMs);
  }

  /** Called once the group's leader has exited: leaves nothing of a stopped group behind. */
  finish(): void {
    clearTimeout(this.#killTimer);
    if (this.reason !== null) this.#signal('SIGKILL');
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#pgid === undefined) return;
    try {
      process.kill(-this.#pgid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  }
}

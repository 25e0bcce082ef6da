/**
 * Runs a program in its own process group (a new session, as `detached` makes it), and
 * stops that whole group: the program's children (rsync's forks and ssh, what a hook put in
 * the background) must not outlive it. The one place that does this, for rsync and hooks.
 *
 * - A time limit or an abort sends SIGTERM to the group, SIGKILL after a grace period.
 * - When the leader has exited, whatever is left of its group gets SIGTERM too, and SIGKILL
 *   once the output has closed (or the grace period is over): a step that is done leaves
 *   nothing running that could still write into the dataset after the lock is released.
 * - The output is read until it closes, but not past the grace period after the leader's
 *   exit: a child that left the group (setsid) and keeps the pipe open does not hold zbk.
 * - A tracker (the job's lock) learns each group as it starts and ends, and puts its marker
 *   in the environment of everything started, so that a later run can tell what a killed
 *   zbk left behind (src/process/leftovers.ts).
 * - Two groups can make a pipeline (`zfs send | ssh … zfs receive`): one's `stdoutTo` is the
 *   other's `stdinFrom`, as bytes, with backpressure. Then the output is read until it closes
 *   (no grace period: the bytes are the point), and destroying the sink closes it.
 * - Or one hands its stdout over (`handOut`) to be the next one's stdin (`stdinHandedFrom`):
 *   the kernel's pipe joins them, and no byte passes through zbk.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface GroupTracker {
  /** Added to the environment of the group's processes (inherited by their children). */
  readonly env: Readonly<Record<string, string>>;
  started(pgid: number): Promise<void>;
  ended(pgid: number): Promise<void>;
}

export interface GroupOptions {
  /** Added to zbk's own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin; without it (or stdinFrom), stdin is /dev/null. */
  readonly input?: string;
  /** Read into stdin as bytes, instead of input (another group's stdoutTo). */
  readonly stdinFrom?: Readable;
  /** Where stdout goes as bytes, instead of onStdout; destroying it closes the program's stdout. */
  readonly stdoutTo?: Writable;
  /**
   * Given the program's stdout as soon as it starts, which zbk then does not read: another
   * group's stdinHandedFrom.
   */
  readonly handOut?: (stdout: Readable) => void;
  /** Another group's stdout (its handOut) as this program's stdin; zbk's end of it is closed once the program has it. */
  readonly stdinHandedFrom?: Readable;
  /** Longer than Node's timers allow (about 24.8 days) counts as that. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** How long the group has to stop after SIGTERM before SIGKILL. */
  readonly killGraceMs: number;
  readonly onStdout?: (chunk: string) => void;
  readonly onStderr?: (chunk: string) => void;
  readonly tracker?: GroupTracker;
}

export interface GroupResult {
  /** The leader's exit code; null when a signal ended it or it could not start. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why the program could not start (e.g. `spawn rsync ENOENT`), else null. */
  readonly spawnError: string | null;
  /** Whether zbk stopped the group before its leader exited, and why. */
  readonly stopped: 'timeout' | 'abort' | null;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sends `signal` (0: none, to ask whether it is there) to process `pid`, or to every process of
 * a group as `-pgid`; false when there is none (ESRCH). EPERM: it is there, but not ours.
 */
export function sendSignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process of that pid runs (EPERM: it does, as another user). */
export const pidAlive = (pid: number): boolean => sendSignal(pid, 0);

/** Sends `signal` to every process of group `pgid`; false when the group is gone (ESRCH). */
export const signalGroup = (pgid: number, signal: NodeJS.Signals | 0): boolean => sendSignal(-pgid, signal);

export async function runInGroup(file: string, args: readonly string[], o: GroupOptions): Promise<GroupResult> {
  const child = spawn(file, args, {
    detached: true,
    stdio: [o.stdinHandedFrom ?? (o.input === undefined && o.stdinFrom === undefined ? 'ignore' : 'pipe'), 'pipe', 'pipe'],
    env: { ...process.env, ...o.tracker?.env, ...o.env },
  });
  // The program has its own end now; zbk's would keep the writer from seeing a reader that died (EPIPE).
  o.stdinHandedFrom?.destroy();
  const pgid = child.pid;
  const [stdout, stderr] = [child.stdout!, child.stderr!]; // piped, as asked
  o.handOut?.(stdout);
  const recorded = pgid === undefined ? undefined : o.tracker?.started(pgid);
  // A failure to record still lets the group run to its end before it is reported.
  recorded?.catch(() => undefined);
  const result = await new Promise<GroupResult>((resolve) => {
    let stopped: GroupResult['stopped'] = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let open = o.handOut ? 1 : 2; // stderr, and stdout unless handed over
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let stderrDrain: NodeJS.Timeout | undefined;
    let done = false;

    const term = () => {
      if (pgid === undefined || killTimer !== undefined || !signalGroup(pgid, 'SIGTERM')) return;
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), o.killGraceMs);
    };
    const stop = (why: 'timeout' | 'abort') => {
      if (stopped !== null || exit !== null) return;
      stopped = why;
      term();
    };
    const timer = setTimeout(() => stop('timeout'), Math.min(o.timeoutMs, MAX_TIMER_MS));
    const onAbort = () => stop('abort');
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (r: GroupResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      clearTimeout(stderrDrain);
      o.signal?.removeEventListener('abort', onAbort);
      // Whatever of a stopped group, or of the leftovers that got SIGTERM, still runs.
      if (pgid !== undefined && killTimer !== undefined) signalGroup(pgid, 'SIGKILL');
      stdout.destroy();
      stderr.destroy();
      resolve(r);
    };
    const settle = () => {
      if (exit !== null && open === 0) finish({ ...exit, spawnError: null, stopped });
    };

    child.on('error', (e) => {
      if (pgid === undefined) finish({ code: null, signal: null, spawnError: e.message, stopped });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      clearTimeout(timer);
      term(); // the leftovers, if any
      const drain = () => finish({ ...exit!, spawnError: null, stopped });
      // What a pipeline's sender wrote is read to its end (its sink's end, if it is destroyed).
      if (o.stdoutTo === undefined && o.handOut === undefined) drainTimer = setTimeout(drain, o.killGraceMs);
      else stderrDrain = setTimeout(() => stderr.destroy(), o.killGraceMs);
      settle();
    });
    const closed = () => {
      open--;
      settle();
    };
    if (o.handOut === undefined) {
      if (o.stdoutTo === undefined) stdout.setEncoding('utf8').on('data', (chunk: string) => o.onStdout?.(chunk));
      else {
        const sink = o.stdoutTo;
        stdout.pipe(sink);
        sink.once('close', () => stdout.destroy());
      }
      stdout.on('close', closed);
    }
    stderr.setEncoding('utf8').on('data', (chunk: string) => o.onStderr?.(chunk));
    stderr.on('close', () => {
      clearTimeout(stderrDrain);
      closed();
    });
    if (child.stdin) child.stdin.on('error', () => undefined); // EPIPE: the program did not read all of it
    if (o.input !== undefined && child.stdin) child.stdin.end(o.input);
    else if (o.stdinFrom !== undefined && child.stdin) o.stdinFrom.pipe(child.stdin);
  });
  if (pgid !== undefined && o.tracker) {
    await recorded;
    await o.tracker.ended(pgid);
  }
  return result;
}

/**
 * The one place that runs zfs(8) and zpool(8): argv arrays, never a shell. A Runner is what the
 * rest of src/zfs/ is given; `createRunner` makes one on a Spawn, which is the system's
 * processes in production and a replay of recorded answers in tests (test/helpers/replay.ts),
 * so both go through the same reading of exit status and stderr.
 * A `dataset is busy` answer is retried with a short backoff (zfs-fuse gives it for a few
 * seconds after destroys); every other failure becomes a typed ZfsError.
 */
import { type ChildProcess, spawn as startChild } from 'node:child_process';
import { errorFromFailure, ZfsError } from './errors.js';

export interface Tools {
  readonly zfs: string;
  readonly zpool: string;
}

export const SYSTEM_TOOLS: Tools = { zfs: 'zfs', zpool: 'zpool' };

interface ExecOptions {
  /** How long to keep retrying a busy dataset, in ms (0: no retries). */
  readonly busyRetryMs?: number;
  /** The most output to read, in characters (default 100 MB); more fails with kind 'output-too-large'. */
  readonly maxBuffer?: number;
}

/** Runs `tool args`: its stdout, or a ZfsError. */
export type Runner = (tool: keyof Tools, args: readonly string[], options?: ExecOptions) => Promise<string>;

/** What one process gave back: its exit status and output, or the errno that kept it from starting (stderr then says why). */
export interface Spawned {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** ENOENT, E2BIG, …: the process never ran. */
  readonly errno?: string;
  /** It printed more than the maxBuffer it was given. */
  readonly tooLarge?: boolean;
}

export type Spawn = (file: string, args: readonly string[], options: { readonly maxBuffer?: number }) => Promise<Spawned>;

/** The time the busy retries read and wait on: the system's, or a test's (which makes the backoff exact). */
export interface RetryClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const SYSTEM_CLOCK: RetryClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

const BUSY_RETRY_MS = 8000;
const DEFAULT_MAX_BUFFER = 100_000_000;

/** The processes started and not yet ended: stopped (SIGTERM) if zbk exits first, as execa did (its `cleanup`). */
const running = new Set<ChildProcess>();
let stopAtExit = false;
function track(child: ChildProcess): void {
  if (!stopAtExit) {
    stopAtExit = true;
    process.on('exit', () => {
      for (const c of running) c.kill();
    });
  }
  running.add(child);
}

/**
 * The system's processes, with `LC_ALL=C` and `TZ=UTC` added to zbk's own environment (times in
 * UTC, numbers without locale marks: one known way to read them), and no stdin. node's own
 * child_process rather than execa, which cost more per zfs process (bench/zfs-spawn.ts).
 */
export const spawnProcess: Spawn = (file, args, options) =>
  new Promise((resolve) => {
    const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
    const command = [file, ...args].join(' ');
    let child: ChildProcess;
    try {
      child = startChild(file, args, { env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      // The system refused to start it (E2BIG comes here); anything else (a NUL in an argument) is zbk's bug and throws.
      const err = e as NodeJS.ErrnoException;
      if (err.syscall === undefined || err.code === undefined) throw e;
      resolve({ exitCode: null, stdout: '', stderr: `Command failed with ${err.code}: ${command}\n${err.message}`, errno: err.code });
      return;
    }
    track(child);
    const out = { stdout: '', stderr: '' };
    let tooLarge = false;
    let failed: NodeJS.ErrnoException | undefined;
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name]!;
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (tooLarge) return;
        out[name] += chunk;
        if (out[name].length > maxBuffer) {
          // More than zbk reads: stop reading and stop the process (it would block on a full pipe).
          tooLarge = true;
          out[name] = out[name].slice(0, maxBuffer);
          child.kill();
          child.stdout?.destroy();
          child.stderr?.destroy();
        }
      });
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      failed = e;
    });
    // 'close': the process has exited and both pipes are read to their end (or it never started).
    child.on('close', (code) => {
      running.delete(child);
      const message = failed
        ? `Command failed with ${failed.code}: ${command}\n${failed.message}`
        : code === null ? `Command was killed with ${child.signalCode}: ${command}` : `Command failed with exit code ${code}: ${command}`;
      resolve({
        exitCode: failed ? null : code,
        stdout: out.stdout,
        stderr: out.stderr || out.stdout || message,
        ...(failed?.code ? { errno: failed.code } : {}),
        tooLarge,
      });
    });
  });

export function createRunner(tools: Tools, spawn: Spawn = spawnProcess, clock: RetryClock = SYSTEM_CLOCK): Runner {
  return async (tool, args, options = {}) => {
    const argv = [tools[tool], ...args];
    const deadline = clock.now() + (options.busyRetryMs ?? BUSY_RETRY_MS);
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      const r = await spawn(argv[0]!, args, options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer });
      if (r.tooLarge) {
        throw new ZfsError('output-too-large', `${argv.join(' ')}: printed more than ${options.maxBuffer ?? DEFAULT_MAX_BUFFER} characters, more than zbk reads`, argv);
      }
      if (r.exitCode === 0) return r.stdout;
      if (r.errno === 'ENOENT') {
        throw new ZfsError('not-installed', `${argv[0]} not found (set [zbk] ${tool} in the config to its absolute path)`, argv);
      }
      if (r.errno === 'E2BIG') {
        throw new ZfsError('argument-list-too-long', `${argv[0]}: argument list too long`, argv);
      }
      const err = errorFromFailure(argv, r.stderr);
      if (err.kind !== 'busy' || clock.now() + delay > deadline) throw err;
      await clock.sleep(delay);
    }
  };
}

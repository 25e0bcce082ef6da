/**
 * The one place that spawns zfs(8) and zpool(8): argv arrays, never a shell.
 * A `dataset is busy` answer is retried with a short backoff (zfs-fuse gives it for a few
 * seconds after destroys); every other failure becomes a typed ZfsError.
 */
import { errorFromFailure, ZfsError } from './errors.js';

export interface Tools {
  readonly zfs: string;
  readonly zpool: string;
}

export interface ExecOptions {
  /** How long to keep retrying a busy dataset, in ms (0: no retries). */
  readonly busyRetryMs?: number;
  readonly input?: string;
  /** The most output to read, in characters (default: execa's, 100 MB); more fails with kind 'output-too-large'. */
  readonly maxBuffer?: number;
}

export interface Runner {
  (tool: keyof Tools, args: readonly string[], options?: ExecOptions): Promise<string>;
  /** Processes spawned so far (the prune benchmark counts them). */
  readonly spawned: () => number;
}

const BUSY_RETRY_MS = 8000;
let execaModule: Promise<typeof import('execa')> | undefined;

export function createRunner(tools: Tools): Runner {
  let spawned = 0;
  const run = async (tool: keyof Tools, args: readonly string[], options: ExecOptions = {}): Promise<string> => {
    const { execa } = await (execaModule ??= import('execa')); // not at start-up: --from-file needs no zfs
    const argv = [tools[tool], ...args];
    const deadline = Date.now() + (options.busyRetryMs ?? BUSY_RETRY_MS);
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      spawned++;
      const r = await execa(argv[0]!, args, {
        reject: false,
        stripFinalNewline: false,
        // Times in UTC and numbers without locale marks: one known way to read them (CONTRACT.md).
        env: { LC_ALL: 'C', TZ: 'UTC' },
        ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
        ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
      });
      if (r.isMaxBuffer) {
        throw new ZfsError('output-too-large', `${argv.join(' ')}: printed more than ${options.maxBuffer ?? 100_000_000} characters, more than zbk reads`, argv);
      }
      if (r.exitCode === 0) return r.stdout;
      if (r.code === 'ENOENT') {
        throw new ZfsError('not-installed', `${argv[0]} not found (set [zbk] ${tool} in the config to its absolute path)`, argv);
      }
      if (r.code === 'E2BIG') {
        throw new ZfsError('argument-list-too-long', `${argv[0]}: argument list too long`, argv);
      }
      const err = errorFromFailure(argv, r.stderr || r.stdout || (r.message ?? ''));
      if (err.kind !== 'busy' || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  return Object.assign(run, { spawned: () => spawned });
}

/**
 * pre_hook, post_hook and the alert command: `sh -c COMMAND` in its own process group
 * (src/process/group.ts), with a time limit and the job's facts in the environment.
 * A hook is done when its sh is: what it left running in the background is stopped then,
 * and does not keep zbk waiting by holding the hook's output open.
 */
import { runInGroup, type GroupTracker } from '../process/group.js';

interface HookResult {
  readonly ok: boolean;
  /** The hook's output (stdout and stderr, last 4 KiB), or why it did not finish. */
  readonly output: string;
}

export interface HookOptions {
  /** Default 10 minutes, as `hook_timeout`'s. */
  readonly timeoutMs?: number;
  /** Goes to the hook's stdin (the alert command reads the report there); else none. */
  readonly input?: string;
  /** Stops the hook (zbk was interrupted). */
  readonly signal?: AbortSignal;
  /** The job's lock, which records the hook's process group while it runs. */
  readonly tracker?: GroupTracker;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const KILL_GRACE_MS = 5000;
const KEPT_CHARS = 4096;

export async function runHook(command: string, env: Readonly<Record<string, string>>, o: HookOptions = {}): Promise<HookResult> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let all = '';
  const keep = (chunk: string) => {
    all = (all + chunk).slice(-2 * KEPT_CHARS); // trimmed below; the slack keeps it cheap
  };
  const r = await runInGroup('/bin/sh', ['-c', command], {
    env,
    timeoutMs,
    killGraceMs: KILL_GRACE_MS,
    onStdout: keep,
    onStderr: keep,
    ...(o.input === undefined ? {} : { input: o.input }),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.tracker ? { tracker: o.tracker } : {}),
  });
  const output = all.slice(-KEPT_CHARS).trim();
  const said = (why: string) => ({ ok: false, output: `${why}${output ? `: ${output}` : ''}` });
  if (r.spawnError !== null) return said(`could not run /bin/sh: ${r.spawnError}`);
  if (r.stopped === 'timeout') return said(`timed out after ${Math.round(timeoutMs / 1000)} s`);
  if (r.stopped === 'abort') return said('stopped: zbk was interrupted');
  if (r.code === 0) return { ok: true, output };
  return said(r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
}

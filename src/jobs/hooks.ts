/** pre_hook and post_hook: `sh -c COMMAND`, with a timeout and the job's facts in the environment. */
import { execa } from 'execa';

export interface HookResult {
  readonly ok: boolean;
  /** The hook's output (stdout and stderr, last 4 KiB), or why it did not finish. */
  readonly output: string;
}

export const HOOK_TIMEOUT_MS = 10 * 60 * 1000;

const KILL_GRACE_MS = 5000;

/**
 * Runs `sh -c command`; `input` goes to its stdin (the alert command reads the report there).
 * The hook runs in its own process group, and stopping it (its time limit, or `signal`)
 * stops the whole group: what the hook started (a hung pg_dump, a `sleep`) would otherwise
 * outlive sh, keep its output open, and keep zbk waiting for it.
 */
export async function runHook(
  command: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = HOOK_TIMEOUT_MS,
  input?: string,
  signal?: AbortSignal,
): Promise<HookResult> {
  const child = execa('/bin/sh', ['-c', command], {
    reject: false,
    all: true,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    env,
    detached: true,
  });
  const group = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  let stopped: string | null = null;
  let killer: NodeJS.Timeout | undefined;
  const stop = (why: string) => {
    if (stopped !== null) return;
    stopped = why;
    group('SIGTERM');
    killer = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => stop(`timed out after ${Math.round(timeoutMs / 1000)} s`), Math.min(timeoutMs, 2 ** 31 - 1));
  const onAbort = () => stop('stopped: zbk was interrupted');
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const r = await child;
  clearTimeout(timer);
  clearTimeout(killer);
  signal?.removeEventListener('abort', onAbort);
  if (stopped !== null) group('SIGKILL'); // whatever of the group is left

  const output = (r.all ?? '').slice(-4096).trim();
  if (stopped !== null) return { ok: false, output: `${stopped}${output ? `: ${output}` : ''}` };
  if (r.exitCode === 0) return { ok: true, output };
  const why = r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`;
  return { ok: false, output: `${why}${output ? `: ${output}` : ''}` };
}

/** pre_hook and post_hook: `sh -c COMMAND`, with a timeout and the job's facts in the environment. */
import { execa } from 'execa';

export interface HookResult {
  readonly ok: boolean;
  /** The hook's output (stdout and stderr, last 4 KiB), or why it did not finish. */
  readonly output: string;
}

export const HOOK_TIMEOUT_MS = 10 * 60 * 1000;

/** Runs `sh -c command`; `input` goes to its stdin (the alert command reads the report there). */
export async function runHook(
  command: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = HOOK_TIMEOUT_MS,
  input?: string,
): Promise<HookResult> {
  const r = await execa('/bin/sh', ['-c', command], {
    reject: false,
    all: true,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    env,
    timeout: timeoutMs,
    forceKillAfterDelay: 5000,
  });
  const output = (r.all ?? '').slice(-4096).trim();
  if (r.timedOut) return { ok: false, output: `timed out after ${Math.round(timeoutMs / 1000)} s${output ? `: ${output}` : ''}` };
  if (r.exitCode === 0) return { ok: true, output };
  const why = r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`;
  return { ok: false, output: `${why}${output ? `: ${output}` : ''}` };
}

/** Watching processes in the integration tests: waiting for a condition, finding pids, the CLI in the background. */
import type { ExecutionContext } from 'ava';
import { execa } from 'execa';
import { CLI } from './cli.js';

/** `probe`'s first truthy value, polled every `pollMs`; an error naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, pollMs = 50): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, pollMs))) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Pids of running processes (not zombies) whose command line has all of `words`. */
export async function pidsOf(...words: string[]): Promise<number[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,stat=,args=']);
  return stdout.split('\n').flatMap((line) => {
    const [pid, state, ...args] = line.trim().split(/\s+/);
    const command = args.join(' ');
    return !state!.startsWith('Z') && words.every((w) => command.includes(w)) && !command.includes('ps -eo') ? [Number(pid)] : [];
  });
}

/** The CLI with `args` in the background; SIGKILLed in teardown should the test end before it. */
export function zbkInBackground(t: ExecutionContext, args: readonly string[]) {
  const child = execa(process.execPath, [CLI, ...args], { reject: false, stdin: 'ignore', env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.catch(() => undefined);
  });
  return child;
}

/**
 * How long one command of an integration test may run. zfs-fuse deadlocks now and then (a
 * `zpool create` that never returns, and every later command waiting behind it): without a
 * deadline one such hang held a whole CI run until it was killed. The slowest command of the
 * suite takes about 30 s here; CI's machines are slower.
 */
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';

const RESTART = fileURLToPath(new URL('../../scripts/zfs-fuse.sh', import.meta.url));

export const COMMAND_TIMEOUT_MS = 120_000;

/**
 * execa with the deadline: its result (or its error, with `reject`), or pastDeadline's error
 * once the command has been killed at the deadline. `name`: how the error names the command.
 */
export async function execaWithDeadline<O extends Options>(file: string, args: readonly string[], options: O, name = [file, ...args].join(' ')): Promise<Result<O>> {
  let r: Result<O>;
  try {
    // The deadline changes nothing of the result's type; TypeScript cannot resolve execa's for an open O.
    r = (await execa(file, args, { ...options, timeout: COMMAND_TIMEOUT_MS })) as unknown as Result<O>;
  } catch (e) {
    throw (e as { timedOut?: boolean }).timedOut ? await pastDeadline(name) : e;
  }
  if (r.timedOut) throw await pastDeadline(name);
  return r;
}

/**
 * The error for `command`, killed at the deadline: what every process was doing (ps with
 * wait channels, kernel threads left out: a zfs waiting on zfs-fuse shows it), so that the CI log tells a wedged
 * zfs-fuse from a slow test. Where this is zfs-fuse, it is restarted, so that one wedge fails
 * one test and the rest of the suite still runs.
 */
export async function pastDeadline(command: string): Promise<Error> {
  const ps = await execa('ps', ['--ppid', '2', '-p', '2', '--deselect', '-o', 'pid,ppid,stat,wchan:24,etime,args'], { reject: false, timeout: 10_000 });
  let restarted = '';
  if ((await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false })).exitCode === 0) {
    const r = await execa('sh', [RESTART, 'restart'], { reject: false, all: true, timeout: 120_000 });
    restarted = r.exitCode === 0 ? '\nzfs-fuse was restarted for the tests that follow.' : `\nzfs-fuse could not be restarted: ${r.all}`;
  }
  return new Error(`${command}: still running after ${COMMAND_TIMEOUT_MS / 1000} s, killed (a wedged zfs-fuse?)${restarted}\nThe processes then:\n${ps.stdout.split('\n').map((l) => l.slice(0, 240)).join('\n')}`);
}

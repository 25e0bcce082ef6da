/**
 * How long one command of an integration test may run, and what happens past it. zfs-fuse
 * deadlocks now and then (a `zpool create` or `zfs create` that never returns, stuck in D state
 * on a FUSE request, and every later command waiting behind it): without a deadline one such
 * hang held a whole CI run until it was killed. The slowest command of the suite takes about
 * 30 s here; CI's machines are slower.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';

const RESTART = fileURLToPath(new URL('../../scripts/zfs-fuse.sh', import.meta.url));

export const COMMAND_TIMEOUT_MS = 120_000;

/** A command past the deadline because zfs-fuse was wedged; zfs-fuse has been restarted. */
export class ZfsFuseWedged extends Error {}

let wedges = 0;

/** How many times a command of this process ran into a wedged zfs-fuse (each one restarted). */
export const wedgesSoFar = (): number => wedges;

/**
 * execa with the deadline: its result (or its error, with `reject`), or pastDeadline's error
 * once the command has been killed at the deadline. `name`: how the error names the command.
 */
export async function execaWithDeadline<O extends Options>(file: string, args: readonly string[], options: O, name = [file, ...args].join(' '), deadlineMs = COMMAND_TIMEOUT_MS): Promise<Result<O>> {
  let r: Result<O>;
  try {
    // The deadline changes nothing of the result's type; TypeScript cannot resolve execa's for an open O.
    r = (await execa(file, args, { ...options, timeout: deadlineMs })) as unknown as Result<O>;
  } catch (e) {
    throw (e as { timedOut?: boolean }).timedOut ? await pastDeadline(name, deadlineMs) : e;
  }
  if (r.timedOut) throw await pastDeadline(name, deadlineMs);
  return r;
}

interface Row { pid: number; stat: string; wchan: string; line: string }

const PS_COLUMNS = 'pid,ppid,stat,wchan:24,etime,args';

/** Every process but the kernel's threads (a zfs waiting on zfs-fuse shows in its wait channel). */
async function processes(): Promise<Row[]> {
  const ps = await execa('ps', ['--ppid', '2', '-p', '2', '--deselect', '-o', PS_COLUMNS], { reject: false, timeout: 10_000 });
  return ps.stdout.split('\n').slice(1).map((line) => {
    const [pid, , stat, wchan] = line.trim().split(/\s+/);
    return { pid: Number(pid), stat: stat ?? '', wchan: wchan ?? '', line: line.slice(0, 240) };
  });
}

/** The kernel's stack of a process (root only; a FUSE wait shows which request it waits for). */
const stackOf = async (pid: number): Promise<string> =>
  (await readFile(`/proc/${pid}/stack`, 'utf8').catch(() => '')).trim().split('\n').slice(0, 8).map((l) => `      ${l}`).join('\n');

/**
 * What the threads of zfs-fuse wait on, counted (`40× futex_do_wait`): a daemon whose FUSE
 * listeners are all busy or blocked shows it here.
 */
async function daemonThreads(): Promise<string> {
  const pid = (await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false })).stdout.split('\n')[0];
  if (!pid) return '';
  const ps = await execa('ps', ['-L', '-o', 'stat=,wchan:32=', '-p', pid], { reject: false, timeout: 10_000 });
  const counts = new Map<string, number>();
  for (const line of ps.stdout.split('\n')) {
    const key = line.trim().replace(/\s+/, ' ');
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([w, n]) => `${n}× ${w}`).join(', ');
}

/** Does zfs-fuse answer `zpool list` within `seconds`? */
const answers = async (seconds: number): Promise<boolean> =>
  (await execa('zpool', ['list', '-H'], { reject: false, timeout: seconds * 1000 })).exitCode === 0;

/**
 * The error for `command`, killed at the deadline, with what every process was doing, so that
 * the CI log tells a wedged zfs-fuse from a slow or hung test. zfs-fuse counts as wedged where
 * a process waits on a FUSE request in D state or `zpool list` gets no answer in 30 s; it is
 * then restarted (so that one wedge costs one attempt, not the rest of the suite) and the
 * error is a ZfsFuseWedged. Otherwise the command itself hung: a plain Error, zfs-fuse left be.
 */
export async function pastDeadline(command: string, deadlineMs = COMMAND_TIMEOUT_MS): Promise<Error> {
  const rows = await processes();
  const onFuse = rows.filter((r) => r.stat.startsWith('D') && /fuse|request_wait_answer/.test(r.wchan));
  const threads = await daemonThreads();
  const running = threads !== '';
  const wedged = running && (onFuse.length > 0 || !(await answers(30)));
  const stacks = await Promise.all(onFuse.map(async (r) => `    ${r.pid} (${r.wchan}):\n${await stackOf(r.pid)}`));
  const table = [
    'The processes then:',
    ...rows.map((r) => r.line),
    ...(running ? [`zfs-fuse's threads: ${threads}`] : []),
    ...(stacks.length > 0 ? ['Waiting on FUSE:', ...stacks] : []),
  ].join('\n');
  if (!wedged) return new Error(`${command}: still running after ${deadlineMs / 1000} s, killed; zfs-fuse ${running ? 'answers' : 'is not running'}\n${table}`);
  wedges++;
  const r = await execa('sh', [RESTART, 'restart'], { reject: false, all: true, timeout: 120_000 });
  const restarted = r.exitCode === 0 ? 'zfs-fuse was restarted.' : `zfs-fuse could not be restarted: ${r.all}`;
  const why = onFuse.length > 0 ? `${onFuse.length} process(es) stuck on a FUSE request` : 'zpool list got no answer in 30 s';
  return new ZfsFuseWedged(`${command}: still running after ${deadlineMs / 1000} s, killed: zfs-fuse was wedged (${why}). ${restarted}\n${table}`);
}

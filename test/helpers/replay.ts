/**
 * A replay of zfs(8) and zpool(8): the commands zbk is expected to run, in order, each with the
 * answer a real system gave (exit status, stdout, stderr; the outputs are fixture files whose
 * origins fixtures/README.md gives). It stands where the processes would start (a Spawn under
 * the production Runner), so exit statuses, stderr and busy retries are read by zbk's own code.
 * A command that is not the next one expected fails the test on the spot, naming both; an
 * expected command never run fails it in teardown. For what this machine cannot run (modern
 * OpenZFS): the integration tests keep running zfs-fuse for real.
 *
 * Script format (fixtures/zfs/replay/*.txt, described in fixtures/README.md):
 *   # a comment                  blank lines and comments are skipped
 *   $ zfs destroy tank/a@x       the next command: tool (zfs or zpool), then its argv, one space apart
 *   exit 1                       its exit status (default 0)
 *   errno E2BIG                  instead of an exit status: the process did not start (E2BIG, ENOENT)
 *   stdout zfs/FILE              its stdout, a file of fixtures/
 *   stderr zfs/FILE              its stderr, a file of fixtures/
 *   1| text                      one line of stdout, written in the script (as many as needed)
 *   2| text                      one line of stderr
 */
import { readFileSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import { createRunner, type Runner, type Spawn, type Spawned, type Tools } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { fixture, FIXTURES } from './fixtures.js';

export interface Exchange {
  readonly tool: keyof Tools;
  readonly args: readonly string[];
  readonly answer: Spawned;
  /** Where it was written: `file:line`, for the messages. */
  readonly origin: string;
}

const TOOLS: Tools = { zfs: 'zfs', zpool: 'zpool' };

/** The exchanges of a script in fixtures/ (`zfs/replay/NAME.txt`). */
export function script(path: string): Exchange[] {
  return parseScript(readFileSync(`${FIXTURES}${path}`, 'utf8'), path);
}

/** The exchanges of a script whose command line holds `part`: one probe of a capabilities script, where only it runs. */
export const pick = (path: string, part: string): Exchange[] => script(path).filter((e) => shown(e.tool, e.args).includes(part));

export function parseScript(text: string, name: string): Exchange[] {
  const out: Exchange[] = [];
  let current: { tool: keyof Tools; args: string[]; origin: string; exitCode: number | null; stdout: string; stderr: string; errno?: string } | null = null;
  const flush = () => {
    if (!current) return;
    const { tool, args, origin, exitCode, stdout, stderr, errno } = current;
    out.push({ tool, args, origin, answer: { exitCode, stdout, stderr, ...(errno ? { errno } : {}) } });
  };
  text.split('\n').forEach((line, i) => {
    const at = `${name}:${i + 1}`;
    const bad = (why: string) => new Error(`${at}: ${why}: ${JSON.stringify(line)}`);
    if (line.trim() === '' || line.startsWith('#')) return;
    if (line.startsWith('$ ')) {
      flush();
      const [tool, ...args] = line.slice(2).split(' ');
      if (tool !== 'zfs' && tool !== 'zpool') throw bad('a command is zfs or zpool');
      current = { tool, args, origin: at, exitCode: 0, stdout: '', stderr: '' };
      return;
    }
    if (!current) throw bad('an answer before any `$ ` command');
    const m = /^(exit|errno|stdout|stderr) (\S+)$/.exec(line) ?? /^([12])\| ?(.*)$/.exec(line);
    if (!m) throw bad('not a line of the replay format');
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'exit') {
      if (!/^\d+$/.test(value)) throw bad('exit takes a number');
      current.exitCode = Number(value);
    } else if (key === 'errno') {
      current.errno = value;
      current.exitCode = null;
    } else if (key === 'stdout') current.stdout += fixture(value);
    else if (key === 'stderr') current.stderr += fixture(value);
    else if (key === '1') current.stdout += `${value}\n`;
    else current.stderr += `${value}\n`;
  });
  flush();
  return out;
}

/** One exchange written in a test: a command that succeeds with no output, unless `answer` says otherwise. */
export function exchange(command: string, answer: Partial<Spawned> = {}): Exchange {
  const { tool, args } = parseScript(`$ ${command}`, 'the test')[0]!;
  return { tool, args, origin: 'the test', answer: { exitCode: 0, stdout: '', stderr: '', ...answer } };
}

export interface Replay {
  readonly zfs: Zfs;
  readonly run: Runner;
  /** Where the answers come from: for a Runner of a test's own (createRunner with a clock). */
  readonly spawn: Spawn;
  /** The commands run so far, as `zfs destroy tank/a@x`. */
  readonly calls: string[];
  /** The most commands that were running at once. */
  readonly maxInFlight: () => number;
  /** Called with each command as it starts (before its answer), to put it in order with other events. */
  readonly onCall: Array<(command: string) => void>;
}

const shown = (tool: string, args: readonly string[]) => [tool, ...args].join(' ');

/**
 * A Zfs (and its Runner) that answers from the exchanges, in their order. Each answer comes a
 * turn of the event loop later, as a process's would, so that commands zbk runs side by side
 * are seen side by side (maxInFlight).
 */
export function replay(t: ExecutionContext, ...parts: ReadonlyArray<string | readonly Exchange[]>): Replay {
  const expected = parts.flatMap((p) => (typeof p === 'string' ? script(p) : [...p]));
  const calls: string[] = [];
  let next = 0;
  let inFlight = 0;
  let most = 0;
  const onCall: Array<(command: string) => void> = [];
  const spawn: Spawn = async (file, args, options) => {
    const command = shown(file, args);
    calls.push(command);
    for (const f of onCall) f(command);
    const want = expected[next];
    if (!want || want.tool !== file || want.args.length !== args.length || want.args.some((a, i) => a !== args[i])) {
      const message = want
        ? `replay: zbk ran \`${command}\`, but the next command expected is \`${shown(want.tool, want.args)}\` (${want.origin})`
        : `replay: zbk ran \`${command}\` after every expected command (${expected.length}) had run`;
      t.fail(message);
      throw new Error(message);
    }
    next++;
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const a = want.answer;
    return options.maxBuffer !== undefined && a.stdout.length > options.maxBuffer ? { ...a, tooLarge: true } : a;
  };
  t.teardown(() => {
    const left = expected.slice(next);
    if (left.length > 0) {
      throw new Error(`replay: ${left.length} expected command(s) never ran, the first: \`${shown(left[0]!.tool, left[0]!.args)}\` (${left[0]!.origin})`);
    }
  });
  const run = createRunner(TOOLS, spawn);
  return { zfs: new Zfs(run), run, spawn, calls, maxInFlight: () => most, onCall };
}

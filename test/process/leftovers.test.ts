/** stopLeftovers with real processes: found by marker, in their group or out of it; strangers untouched. */
import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { MARKER, stopLeftovers } from '../../src/process/leftovers.js';

const running = async (pid: number) => {
  const r = await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false });
  return r.exitCode === 0 && !r.stdout.trim().startsWith('Z');
};

/** Starts `sh -c script` in its own group with these variables; killed in teardown. */
function start(t: ExecutionContext, script: string, env: Record<string, string>) {
  const child = execa('sh', ['-c', script], { detached: true, reject: false, env });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  return child;
}

/** The numbers the child prints before its line `ready`. */
const linesUntilReady = (child: ReturnType<typeof start>) =>
  new Promise<number[]>((resolve) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const lines = text.split('\n');
      if (lines.includes('ready')) resolve(lines.slice(0, lines.indexOf('ready')).map(Number));
    });
  });

test('a marked process that left its group (its own session) is stopped too; a stranger is not', async (t) => {
  const marker = randomBytes(16).toString('hex');
  const escape = `${JSON.stringify(process.execPath)} -e 'const c = require("child_process").spawn("sleep", ["1000"], { detached: true, stdio: "ignore" }); console.log(c.pid); c.unref()'`;
  // The group's own sleep starts before the escaped pid is printed, and `ready` comes once the
  // node that escaped it has exited (sh waits for it): exactly three marked processes run then,
  // however slowly node exits on a loaded machine.
  const leader = start(t, `sleep 1000 & ${escape}; echo ready; wait`, { [MARKER]: marker });
  const [escaped] = await linesUntilReady(leader);
  t.teardown(() => {
    try {
      process.kill(escaped!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  const stranger = start(t, 'sleep 1000', { [MARKER]: randomBytes(16).toString('hex') });
  const r = await stopLeftovers(marker, [], { graceMs: 300 });
  t.is(r.refusal, null);
  t.is(r.stopped.length, 3, r.stopped.join(', ')); // sh, its sleep, the escaped sleep
  t.false(await running(escaped!));
  t.false(await running(leader.pid!));
  t.true(await running(stranger.pid!));
});

test('nothing left running: nothing stopped, no refusal', async (t) => {
  t.deepEqual(await stopLeftovers(randomBytes(16).toString('hex'), [], { graceMs: 300 }), { stopped: [], refusal: null });
});

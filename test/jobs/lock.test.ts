/**
 * The per-job lock on a real filesystem: link(2) makes exactly one winner, a live holder is
 * named, a dead one is taken over once what it left running is stopped, a renamed host's or a
 * reused pid's lock does not block forever. Leftovers and strangers are real process groups.
 * Races run between real processes, as they happen in production.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { acquireLock, LockHeld, parseHolder } from '../../src/jobs/lock.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-lock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const lockFile = (dir: string, job: string) => join(dir, 'locks', `${job}.lock`);

/**
 * A run's marker, new each time as zbk makes them: a fixed one would be shared by this file run
 * twice at once (two checkouts' suites on one machine), and one run's takeover would stop the
 * other's leftovers.
 */
const newMarker = () => randomBytes(16).toString('hex');

/** A pid that was just in use and is not any more. */
async function deadPid(): Promise<number> {
  const p = execa('true');
  await p;
  return p.pid!;
}

async function writeLock(dir: string, job: string, holder: object): Promise<void> {
  await mkdir(join(dir, 'locks'), { recursive: true });
  await writeFile(lockFile(dir, job), JSON.stringify(holder));
}

test('the lock file names its holder; release removes it and leaves nothing behind', async (t) => {
  const dir = await stateDir(t);
  const lock = await acquireLock(dir, 'usa-vds', 'zbk run --job usa-vds');
  const holder = JSON.parse(await readFile(lockFile(dir, 'usa-vds'), 'utf8')) as Record<string, unknown>;
  t.like(holder, { pid: process.pid, host: hostname(), command: 'zbk run --job usa-vds', groups: [] });
  t.regex(String(holder.since), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.deepEqual(holder.args, [basename(process.argv[1]!), ...process.argv.slice(2)]);
  t.regex(String(holder.marker), /^[0-9a-f]{32}$/);
  t.deepEqual(lock.env, { ZBK_RUN_ID: holder.marker });
  t.deepEqual(await readdir(join(dir, 'locks')), ['usa-vds.lock'], 'no temporary file is left');
  await lock.release();
  t.deepEqual(await readdir(join(dir, 'locks')), []);
  await lock.release(); // twice is harmless
  const again = await acquireLock(dir, 'usa-vds', 'zbk run');
  await again.release();
});

test('a live holder on this host makes the next one fail at once, naming pid, host, command and since', async (t) => {
  const dir = await stateDir(t);
  const lock = await acquireLock(dir, 'h1', 'zbk daemon');
  const e = await t.throwsAsync(acquireLock(dir, 'h1', 'zbk run --job h1'), { instanceOf: LockHeld });
  t.is(e!.job, 'h1');
  t.is(e!.holder!.pid, process.pid);
  t.regex(e!.message, new RegExp(`^job h1 is locked by pid ${process.pid} on ${hostname()} \\(zbk daemon, since \\d{4}-.*Z\\)$`));
  t.true(existsSync(lockFile(dir, 'h1')), 'the holder keeps its lock');
  const other = await acquireLock(dir, 'h2', 'zbk run --job h2');
  t.pass('another job is not locked by it');
  await other.release();
  await lock.release();
});

test('a lock whose process is dead is taken over', async (t) => {
  const dir = await stateDir(t);
  const pid = await deadPid();
  await writeLock(dir, 'h1', { pid, host: hostname(), command: 'zbk run --all', since: '2026-01-01T03:00:00.000Z' });
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { pid: number }).pid, process.pid);
  t.deepEqual(await readdir(join(dir, 'locks')), ['h1.lock'], 'the stale lock moved aside is gone');
  await lock.release();
});

test('a lock naming this very process, which does not hold it, was left by a dead one with the same pid (before a reboot): taken over', async (t) => {
  const dir = await stateDir(t);
  const args = [basename(process.argv[1]!), ...process.argv.slice(2)];
  await writeLock(dir, 'h1', { pid: process.pid, host: hostname(), command: 'zbk run', since: '2026-01-01T03:00:00.000Z', args });
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.deepEqual(lock.warnings, []);
  await lock.release();
});

test('an unreadable lock file (no holder in it) is taken over', async (t) => {
  const dir = await stateDir(t);
  await writeLock(dir, 'h1', {});
  await writeFile(lockFile(dir, 'h1'), 'garbage');
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { pid: number }).pid, process.pid);
  await lock.release();
});

test('a lock from another host name (this box, renamed) whose pid does not run here is taken over, with a warning', async (t) => {
  const dir = await stateDir(t);
  const pid = await deadPid();
  await writeLock(dir, 'h1', { pid, host: 'old-name.example.com', command: 'zbk run', since: '2026-01-01T03:00:00.000Z' });
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { host: string }).host, hostname());
  t.deepEqual(lock.warnings, [`took over the lock of pid ${pid} on old-name.example.com (this host is ${hostname()}; zbk run, since 2026-01-01T03:00:00.000Z)`]);
  await lock.release();
});

test('a lock from another host name that does not say what its pid runs: the pid means nothing here, it is taken over', async (t) => {
  const dir = await stateDir(t);
  await writeLock(dir, 'h1', { pid: process.pid, host: 'old-name', command: 'zbk run', since: '2026-01-01T03:00:00.000Z' });
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is(lock.warnings.length, 1);
  await lock.release();
});

test('a lock whose pid now runs another program (reused, after a reboot) is taken over, whatever host it names', async (t) => {
  for (const host of [hostname(), 'old-name']) {
    const dir = await stateDir(t);
    const stranger = execa('sleep', ['60'], { reject: false });
    t.teardown(() => void stranger.kill('SIGKILL'));
    await writeLock(dir, 'h1', { pid: stranger.pid, host, command: 'zbk run', since: '2026-01-01T03:00:00.000Z', args: ['cli.js', 'run', '--all'] });
    const lock = await acquireLock(dir, 'h1', 'zbk run');
    t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { pid: number }).pid, process.pid);
    await lock.release();
    t.is(stranger.exitCode, null, 'the stranger is left alone');
  }
});

test('a live holder that names another host (renamed while it runs) still holds', async (t) => {
  const dir = await stateDir(t);
  // A live zbk, as far as the lock can tell: its script's name and its arguments.
  const holder = execa('sh', ['-c', 'sleep 60', 'run', '--job', 'h1'], { reject: false, detached: true });
  t.teardown(() => process.kill(-holder.pid!, 'SIGKILL')); // its sleep too, which holds the output pipe open
  await writeLock(dir, 'h1', { pid: holder.pid, host: 'old-name', command: 'zbk run', since: '2026-01-01T03:00:00.000Z', args: ['sh', 'run', '--job', 'h1'] });
  const e = await t.throwsAsync(acquireLock(dir, 'h1', 'zbk run'), { instanceOf: LockHeld });
  t.regex(e!.message, new RegExp(`locked by pid ${holder.pid} on old-name`));
});

test('a lock file whose fields would reach kill(2) badly (group 0, 1, -1, a marker that is no hex) names no holder', (t) => {
  const base = { pid: 1234, host: 'h', command: 'zbk run', since: 'x' };
  t.truthy(parseHolder(JSON.stringify({ ...base, groups: [812], marker: 'a'.repeat(32), args: ['cli.js'] })));
  for (const bad of [{ groups: [0] }, { groups: [1] }, { groups: [-1] }, { groups: ['812'] }, { groups: 812 }, { marker: 'x; rm -rf /' },
    { marker: 'A'.repeat(32) }, { args: [1] }, { pid: 0 }, { pid: -1 }, { pid: 1.5 }, { host: 1 }]) {
    t.is(parseHolder(JSON.stringify({ ...base, ...bad })), null, JSON.stringify(bad));
  }
  t.is(parseHolder('null'), null);
  t.is(parseHolder('[]'), null);
});

/** A process group that the run with this marker left running: it ignores SIGTERM, as a hung ssh might. */
function leftover(t: ExecutionContext, marker: string | null) {
  const child = execa('sh', ['-c', 'trap "" TERM; sleep 1000 & echo $!; wait'], {
    detached: true, reject: false, ...(marker ? { env: { ZBK_RUN_ID: marker } } : {}),
  });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  return child;
}

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false }).then((r) => r.exitCode === 0 && !r.stdout.trim().startsWith('Z'));
  } catch {
    return Promise.resolve(false);
  }
};

test('a dead holder\'s leftovers (found by its marker, even one ignoring SIGTERM) are stopped before the lock is taken over', async (t) => {
  const dir = await stateDir(t);
  const marker = newMarker();
  const child = leftover(t, marker);
  const sleeper = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))));
  await writeLock(dir, 'h1', { pid: await deadPid(), host: hostname(), command: 'zbk run --all', since: '2026-01-01T03:00:00.000Z', marker, groups: [child.pid] });
  const started = Date.now();
  const lock = await acquireLock(dir, 'h1', 'zbk run', { killGraceMs: 300 });
  t.true(Date.now() - started < 9000, 'SIGKILL after killGraceMs, not after the default grace (10 s)');
  t.false(await running(child.pid!), 'the group leader is gone');
  t.false(await running(sleeper), 'and its child');
  t.is(lock.warnings.length, 1);
  t.regex(lock.warnings[0]!, new RegExp(`^stopped what the dead run \\(pid \\d+, zbk run --all\\) left running: (sh|sleep) \\(pid \\d+, group ${child.pid}\\), (sh|sleep) \\(pid \\d+, group ${child.pid}\\)$`));
  await lock.release();
});

test('a recorded group whose number now belongs to a stranger (no marker) is left alone', async (t) => {
  const dir = await stateDir(t);
  const stranger = leftover(t, null);
  await writeLock(dir, 'h1', { pid: await deadPid(), host: hostname(), command: 'zbk run', since: '2026-01-01T03:00:00.000Z', marker: newMarker(), groups: [stranger.pid] });
  const lock = await acquireLock(dir, 'h1', 'zbk run', { killGraceMs: 300 });
  t.deepEqual(lock.warnings, []);
  t.true(await running(stranger.pid!));
  await lock.release();
});

// Serial: it empties PATH, which the other tests of this file (run side by side) need for ps.
test.serial('without ps, a recorded group that still has members cannot be verified: the lock is not taken over (75); a gone one is no obstacle', async (t) => {
  const dir = await stateDir(t);
  const marker = newMarker();
  const child = leftover(t, marker);
  const holder = { pid: await deadPid(), host: hostname(), command: 'zbk run', since: '2026-01-01T03:00:00.000Z', marker };
  const path = process.env.PATH;
  process.env.PATH = dir; // no ps there
  t.teardown(() => {
    process.env.PATH = path;
  });
  await writeLock(dir, 'h1', { ...holder, groups: [child.pid] });
  const e = await t.throwsAsync(acquireLock(dir, 'h1', 'zbk run', { killGraceMs: 300 }), { instanceOf: LockHeld });
  process.env.PATH = path;
  t.is(e!.message, `job h1 stays locked: process group ${child.pid} of the dead run still runs, and ps could not run to tell whether it is that run's`);
  t.true(await running(child.pid!), 'nothing was signalled');
  process.kill(-child.pid!, 'SIGKILL');
  await child;
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  await lock.release();
});

test('the process groups the holder tells of are in its lock file while they run', async (t) => {
  const dir = await stateDir(t);
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  const groups = async () => (JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { groups: number[] }).groups;
  await lock.started(812);
  await lock.started(900);
  t.deepEqual(await groups(), [812, 900]);
  await lock.ended(812);
  t.deepEqual(await groups(), [900]);
  t.deepEqual(await readdir(join(dir, 'locks')), ['h1.lock'], 'no temporary file is left');
  await lock.release();
  await lock.ended(900); // after release: nothing is written
  t.deepEqual(await readdir(join(dir, 'locks')), []);
});

test('the locks directory must be zbk\'s own plain directory: a planted symbolic link or one writable by others is refused', async (t) => {
  const dir = await stateDir(t);
  const elsewhere = join(dir, 'elsewhere');
  await mkdir(elsewhere);
  await symlink(elsewhere, join(dir, 'locks'));
  await t.throwsAsync(acquireLock(dir, 'h1', 'zbk run'), { message: `refusing to make locks in ${join(dir, 'locks')}, which is a symbolic link; zbk does not follow links in state_dir: set state_dir to the real directory` });
  t.deepEqual(await readdir(elsewhere), [], 'nothing was made through the link');
  const open = await stateDir(t);
  await mkdir(join(open, 'locks'), { mode: 0o777 });
  await chmod(join(open, 'locks'), 0o777);
  await t.throwsAsync(acquireLock(open, 'h1', 'zbk run'), { message: `refusing to make locks in ${join(open, 'locks')}, which is writable by others (mode 0777): run chmod go-w ${join(open, 'locks')}` });
});

test('the lock\'s temporary file is not predictable: a link planted at the old name is not followed', async (t) => {
  const dir = await stateDir(t);
  await mkdir(join(dir, 'locks'), { mode: 0o700 });
  const victim = join(dir, 'victim');
  await writeFile(victim, 'precious\n');
  await symlink(victim, join(dir, 'locks', `h1.lock.${process.pid}.new`));
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is(await readFile(victim, 'utf8'), 'precious\n');
  await lock.release();
});

/**
 * Runs `count` processes that try the lock at the same instant; each prints WON or HELD. A
 * winner holds the lock until every other racer has given up (or 30 s have passed), so that a
 * slow starter cannot win legitimately after an early winner has released.
 */
async function race(dir: string, count: number): Promise<string[]> {
  const release = join(dir, 'release');
  const script = `
    import { existsSync } from 'node:fs';
    import { acquireLock, LockHeld } from ${JSON.stringify(new URL('../../src/jobs/lock.ts', import.meta.url).pathname)};
    const start = Number(process.argv[1]);
    while (Date.now() < start) {}
    try {
      const lock = await acquireLock(${JSON.stringify(dir)}, 'h1', 'racer');
      console.log('WON');
      while (!existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 20));
      await lock.release();
    } catch (e) {
      if (!(e instanceof LockHeld)) throw e;
      console.log('HELD ' + e.holder?.pid);
    }`;
  const start = Date.now() + 2000;
  const runs = Array.from({ length: count }, () =>
    execa(process.execPath, ['--import=tsx', '--input-type=module', '-e', script, String(start)], { reject: false }));
  let done = 0;
  for (const r of runs) void r.then(() => done++);
  const deadline = Date.now() + 30_000;
  while (done < count - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await writeFile(release, '');
  const results = await Promise.all(runs);
  for (const r of results) if (r.exitCode !== 0) throw new Error(`a racer failed: ${r.stderr}`);
  await rm(release);
  return results.map((r) => r.stdout.trim());
}

test('processes racing for a free lock: exactly one wins, the others are told who holds it', async (t) => {
  const dir = await stateDir(t);
  const outcomes = await race(dir, 6);
  t.is(outcomes.filter((o) => o === 'WON').length, 1, outcomes.join(', '));
  t.is(outcomes.filter((o) => /^HELD \d+$/.test(o)).length, 5, outcomes.join(', '));
  t.deepEqual(await readdir(join(dir, 'locks')), []);
});

test('processes racing to take over a dead holder\'s lock: exactly one wins', async (t) => {
  const dir = await stateDir(t);
  await writeLock(dir, 'h1', { pid: await deadPid(), host: hostname(), command: 'zbk run', since: '2026-01-01T03:00:00.000Z' });
  const outcomes = await race(dir, 6);
  t.is(outcomes.filter((o) => o === 'WON').length, 1, outcomes.join(', '));
  t.deepEqual(await readdir(join(dir, 'locks')), []);
});

/**
 * The per-job lock on a real filesystem: link(2) makes exactly one winner, a live holder is
 * named, a dead one is taken over, a holder on another host is never second-guessed.
 * Races run between real processes, as they happen in production.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { acquireLock, LockHeld } from '../../src/jobs/lock.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-lock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const lockFile = (dir: string, job: string) => join(dir, 'locks', `${job}.lock`);

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
  t.like(holder, { pid: process.pid, host: hostname(), command: 'zbk run --job usa-vds' });
  t.regex(String(holder.since), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
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

test('an unreadable lock file (no holder in it) is taken over', async (t) => {
  const dir = await stateDir(t);
  await writeLock(dir, 'h1', {});
  await writeFile(lockFile(dir, 'h1'), 'garbage');
  const lock = await acquireLock(dir, 'h1', 'zbk run');
  t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { pid: number }).pid, process.pid);
  await lock.release();
});

test('a lock held on another host is never taken over, whatever its pid', async (t) => {
  const dir = await stateDir(t);
  const pid = await deadPid();
  await writeLock(dir, 'h1', { pid, host: 'other-box.example.com', command: 'zbk run', since: '2026-01-01T03:00:00.000Z' });
  const e = await t.throwsAsync(acquireLock(dir, 'h1', 'zbk run'), { instanceOf: LockHeld });
  t.regex(e!.message, new RegExp(`locked by pid ${pid} on other-box\\.example\\.com`));
  t.is((JSON.parse(await readFile(lockFile(dir, 'h1'), 'utf8')) as { host: string }).host, 'other-box.example.com');
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

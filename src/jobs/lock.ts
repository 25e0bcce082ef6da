/**
 * One zbk at a time per job: `<state_dir>/locks/<job>.lock`, made with link(2) so that
 * exactly one process creates it, holding the holder's pid, host and command. A lock whose
 * process is gone (on this host) is taken over, one taker at a time; a live one, or one held
 * on another host, makes the caller stop at once (exit 75).
 */
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

export class LockHeld extends Error {
  constructor(
    readonly job: string,
    readonly holder: Holder | null,
  ) {
    super(
      holder
        ? `job ${job} is locked by pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since})`
        : `job ${job} is locked by another zbk`,
    );
  }
}

export interface Lock {
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function readRaw(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The holder a lock file names; null when it names none (an unreadable file is taken over). */
function parseHolder(raw: string): Holder | null {
  try {
    const h = JSON.parse(raw) as Holder;
    return typeof h === 'object' && h !== null && Number.isInteger(h.pid) && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

async function readHolder(file: string): Promise<Holder | null> {
  const raw = await readRaw(file).catch(() => null);
  return raw === null ? null : parseHolder(raw);
}

export async function acquireLock(stateDir: string, job: string, command: string): Promise<Lock> {
  const dir = join(stateDir, 'locks');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${job}.lock`);
  const me: Holder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const tmp = `${file}.${process.pid}.new`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await link(tmp, file);
        let released = false;
        return {
          release: async () => {
            if (released) return; // a second release must not remove a later holder's lock
            released = true;
            await unlink(file).catch(() => undefined);
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const raw = await readRaw(file);
      if (raw === null) continue; // released in between
      const holder = parseHolder(raw);
      if (holder && (holder.host !== me.host || alive(holder.pid))) throw new LockHeld(job, holder);
      if (!(await removeStale(file, raw, tmp))) await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
    throw new LockHeld(job, await readHolder(file));
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

const MAX_ATTEMPTS = 100;
/** A takeover guard this old was left by a process that died holding it (it holds it for a read and an unlink). */
const STALE_GUARD_MS = 60_000;

/**
 * Removes a dead holder's lock, unless it has changed since it was read as `raw`; false when
 * another process is doing the same (the caller tries again). One process at a time does
 * this, under `<job>.lock.takeover` (made with link(2) like the lock): two processes that
 * both found the same dead holder must not both remove "the" lock file, since the second
 * would remove the one the first has just made, and both would run the job.
 */
async function removeStale(file: string, raw: string, tmp: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await link(tmp, guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await stat(guard).catch(() => null);
    if (st && Date.now() - st.mtimeMs > STALE_GUARD_MS) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    // Under the guard, nothing but this process replaces a lock file that exists: link(2)
    // fails on it, and its holder is dead. So if it still says what it said, it is the dead one.
    if ((await readRaw(file)) === raw) await unlink(file).catch(() => undefined);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

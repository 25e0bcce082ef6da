/**
 * One zbk at a time per job: `<state_dir>/locks/<job>.lock`, made with link(2) so that
 * exactly one process creates it, holding the holder's pid, host and command. A lock whose
 * process is gone is taken over; a live one makes the caller stop at once (exit 75).
 */
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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

async function readHolder(file: string): Promise<Holder | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

export async function acquireLock(stateDir: string, job: string, command: string): Promise<Lock> {
  const dir = join(stateDir, 'locks');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${job}.lock`);
  const me: Holder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const tmp = `${file}.${process.pid}.new`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, file);
        return { release: () => unlink(file).catch(() => undefined) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await readHolder(file);
      if (holder && (holder.host !== me.host || alive(holder.pid))) throw new LockHeld(job, holder);
      await takeOverStale(file, holder);
    }
    throw new LockHeld(job, await readHolder(file));
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Moves a dead holder's lock aside. Should another zbk have taken it over in between, the
 * moved file is a live lock: it is put back and the caller finds it held.
 */
async function takeOverStale(file: string, dead: Holder | null): Promise<void> {
  const aside = `${file}.${process.pid}.stale`;
  try {
    await rename(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readHolder(aside);
  if (dead && moved && moved.pid !== dead.pid) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * One zbk at a time per job: `<state_dir>/locks/<job>.lock`, made with link(2) so that
 * exactly one process creates it, holding the holder's pid, host, command and command line,
 * a marker that the holder puts in the environment of everything it starts (rsync, hooks),
 * and the process groups of those while they run (the lock is rewritten atomically as they
 * start and end).
 *
 * A live holder makes the caller stop at once (exit 75). A dead holder's lock is taken over,
 * one taker at a time, once what the dead run left running is gone (src/process/leftovers.ts):
 * its rsync may still be writing into the dataset. If that cannot be stopped, the lock is
 * not taken (exit 75, saying why).
 *
 * The state_dir belongs to this machine: a lock naming another host name was left by this
 * box under an older name (a renamed host), and is judged like any other, by whether its pid
 * runs the same command here. A pid that runs something else has been reused (a reboot).
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { pidAlive, type GroupTracker } from '../process/group.js';
import { MARKER, stopLeftovers } from '../process/leftovers.js';
import { commandLine, looksStartedWith } from '../process/ps.js';
import { privateDirProblem } from '../state/dir.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  /** The holder's arguments (its script's name, then the command's), to tell it from a process that reused its pid. */
  readonly args?: readonly string[];
  /** In the environment of everything the holder starts, as ZBK_RUN_ID. */
  readonly marker?: string;
  /** The process groups the holder has running. */
  readonly groups?: readonly number[];
}

export class LockHeld extends Error {
  constructor(
    readonly job: string,
    readonly holder: Holder | null,
    /** Why a dead holder's lock was not taken over. */
    readonly refusal: string | null = null,
  ) {
    super(
      refusal !== null
        ? `job ${job} stays locked: ${refusal}`
        : holder
          ? `job ${job} is locked by pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since})`
          : `job ${job} is locked by another zbk`,
    );
  }
}

export interface Lock extends GroupTracker {
  /** What taking the lock over did that the admin should hear of (stopped leftovers, a renamed host). */
  readonly warnings: readonly string[];
  release(): Promise<void>;
}

interface LockOptions {
  /** How long a dead run's leftovers have to stop after SIGTERM, and after SIGKILL. Default 10 s. */
  readonly killGraceMs?: number;
}


/** The lock files this process holds: a lock naming its pid and not among them was left by a dead process that had the same pid (before a reboot). */
const heldHere = new Set<string>();

/**
 * Whether the holder runs: its pid does, and runs the holder's command. A lock that does not
 * record the command (an older zbk's) is believed on this host only.
 */
async function holderAlive(h: Holder, host: string, file: string): Promise<boolean> {
  if (h.pid === process.pid) return heldHere.has(file);
  if (!pidAlive(h.pid)) return false;
  if (h.args === undefined) return h.host === host;
  const command = await commandLine(h.pid);
  if (command === undefined) return true; // ps cannot tell: the lock stands
  return command !== null && looksStartedWith(command, h.args);
}

async function readRaw(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isGroupList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x > 1);

/**
 * The holder a lock file names; null when it names none (an unreadable file is taken over).
 * Its fields reach kill(2) and ps: a group list with 0, 1 or a negative number, or a marker
 * that is not the hex zbk writes, makes the file unreadable, not dangerous.
 */
export function parseHolder(raw: string): Holder | null {
  let h: unknown;
  try {
    h = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof h !== 'object' || h === null) return null;
  const o = h as Record<string, unknown>;
  if (!Number.isInteger(o.pid) || (o.pid as number) < 1 || typeof o.host !== 'string') return null;
  if (o.args !== undefined && !isStringArray(o.args)) return null;
  if (o.marker !== undefined && !(typeof o.marker === 'string' && /^[0-9a-f]{32}$/.test(o.marker))) return null;
  if (o.groups !== undefined && !isGroupList(o.groups)) return null;
  return h as Holder;
}

async function readHolder(file: string): Promise<Holder | null> {
  const raw = await readRaw(file).catch(() => null);
  return raw === null ? null : parseHolder(raw);
}

/**
 * `<state_dir>/locks`, made if missing, and refused if it is not a plain directory of zbk's
 * own that only it can write: the lock's files are made in it as root.
 */
async function locksDir(stateDir: string): Promise<string> {
  const dir = join(stateDir, 'locks');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const problem = privateDirProblem(dir, await lstat(dir));
  if (problem) throw new Error(`refusing to make locks in ${dir}, which ${problem}`);
  return dir;
}

/** Writes `text` to a new file next to `file`, with a name no one can guess, never through a planted link. */
async function writeTemp(file: string, text: string): Promise<string> {
  const tmp = `${file}.${randomBytes(8).toString('hex')}.new`;
  await writeFile(tmp, text, { flag: 'wx', mode: 0o600 });
  return tmp;
}

export async function acquireLock(stateDir: string, job: string, command: string, options: LockOptions = {}): Promise<Lock> {
  const dir = await locksDir(stateDir);
  const file = join(dir, `${job}.lock`);
  const host = hostname();
  const marker = randomBytes(16).toString('hex');
  const me: Holder = {
    pid: process.pid, host, command, since: new Date().toISOString(),
    args: [basename(process.argv[1] ?? ''), ...process.argv.slice(2)], marker, groups: [],
  };
  const tmp = await writeTemp(file, `${JSON.stringify(me)}\n`);
  const warnings: string[] = [];
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await link(tmp, file);
        heldHere.add(file);
        return held(file, me, marker, warnings);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const raw = await readRaw(file);
      if (raw === null) continue; // released in between
      const holder = parseHolder(raw);
      if (holder && (await holderAlive(holder, host, file))) throw new LockHeld(job, holder);
      const removed = await removeStale(file, raw, tmp, async () => {
        if (holder === null) return;
        if (holder.host !== host) {
          warnings.push(`took over the lock of pid ${holder.pid} on ${holder.host} (this host is ${host}; ${holder.command}, since ${holder.since})`);
        }
        if (holder.marker === undefined) return;
        const cleanup = await stopLeftovers(holder.marker, holder.groups ?? [], { graceMs: options.killGraceMs ?? KILL_GRACE_MS });
        if (cleanup.stopped.length > 0) {
          warnings.push(`stopped what the dead run (pid ${holder.pid}, ${holder.command}) left running: ${cleanup.stopped.join(', ')}`);
        }
        if (cleanup.refusal !== null) throw new LockHeld(job, holder, cleanup.refusal);
      });
      if (!removed) await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
    throw new LockHeld(job, await readHolder(file));
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** The lock, held: it records the process groups it is told of, by rewriting its file atomically. */
function held(file: string, holder: Holder, marker: string, warnings: readonly string[]): Lock {
  let released = false;
  let groups: readonly number[] = [];
  let writes = Promise.resolve();
  const rewrite = (change: (groups: readonly number[]) => readonly number[]): Promise<void> => {
    writes = writes.then(async () => {
      if (released) return;
      groups = change(groups);
      const tmp = await writeTemp(file, `${JSON.stringify({ ...holder, groups })}\n`);
      await rename(tmp, file).catch(async (e: unknown) => {
        await unlink(tmp).catch(() => undefined);
        throw e;
      });
    });
    return writes;
  };
  return {
    warnings,
    env: { [MARKER]: marker },
    started: (pgid) => rewrite((groups) => [...groups, pgid]),
    ended: (pgid) => rewrite((groups) => groups.filter((g) => g !== pgid)),
    release: async () => {
      if (released) return; // a second release must not remove a later holder's lock
      released = true;
      await writes.catch(() => undefined); // reported by started() or ended() already
      await unlink(file).catch(() => undefined);
      heldHere.delete(file);
    },
  };
}

const MAX_ATTEMPTS = 100;
const KILL_GRACE_MS = 10_000;
/** A takeover guard this old was left by a process that died holding it (it holds it while it stops a dead run's leftovers). */
const STALE_GUARD_MS = 120_000;

/**
 * Removes a dead holder's lock, unless it has changed since it was read as `raw`, after
 * `cleanUp` (which stops the dead run's leftovers, or throws); false when another process is
 * doing the same (the caller tries again). One process at a time does this, under
 * `<job>.lock.takeover` (made with link(2) like the lock): two processes that both found the
 * same dead holder must not both remove "the" lock file, since the second would remove the
 * one the first has just made, and both would run the job.
 */
async function removeStale(file: string, raw: string, tmp: string, cleanUp: () => Promise<void>): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await link(tmp, guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await lstat(guard).catch(() => null);
    if (st && Date.now() - st.mtimeMs > STALE_GUARD_MS) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    // Under the guard, nothing but this process replaces a lock file that exists: link(2)
    // fails on it, and its holder is dead. So if it still says what it said, it is the dead one.
    if ((await readRaw(file)) !== raw) return true;
    await cleanUp();
    await unlink(file).catch(() => undefined);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

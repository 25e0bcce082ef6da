/**
 * The directories zbk keeps its state in, checked before a file in them is read or written.
 * A state_dir (or a directory under it) that is a symbolic link, belongs to another user, or
 * that others may write, lets them plant links and files that zbk, running as root, would
 * follow or believe: it is refused, as a config error naming the directory and its mode.
 * The directories above it must belong to root or the user and be writable by no one else,
 * unless sticky (/tmp): there others cannot move away or replace what zbk made.
 */
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/problems.js';
import { errnoCode } from '../util/errno.js';
import { ownerProblem, writersProblem } from '../util/trust.js';

/** Subdirectories of state_dir that zbk makes: checked like state_dir itself when they exist. */
const SUBDIRS = ['jobs', 'locks', 'replicas', 'ssh'];

/** A refused state directory or file: exit 78, like every config error. */
export function stateDirError(path: string, problem: string): ConfigError {
  return new ConfigError(path, [{ line: null, key: 'state_dir', message: problem }]);
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw e;
  }
}

/** Why `dir` (`st` from lstat) is not a private directory of ours (state_dir, its jobs/ and locks/); null when it is. */
export function privateDirProblem(dir: string, st: Stats): string | null {
  if (st.isSymbolicLink()) return 'is a symbolic link; zbk does not follow links in state_dir: set state_dir to the real directory';
  if (!st.isDirectory()) return 'is not a directory';
  const owner = ownerProblem(st);
  if (owner) return `${owner}: chown it, or move it aside`;
  const writers = writersProblem(st);
  return writers && `${writers}: run chmod go-w ${dir}`;
}

async function checkPrivateDir(dir: string): Promise<boolean> {
  const st = await lstatOrNull(dir);
  if (st === null) return false;
  const problem = privateDirProblem(dir, st);
  if (problem) throw stateDirError(dir, problem);
  return true;
}

/** Each directory above `dir` (its real path): root's or ours, and writable by no one else unless sticky. */
async function checkAncestors(dir: string): Promise<void> {
  for (let d = dirname(await realpath(dir)); ; d = dirname(d)) {
    const st = await stat(d);
    const owner = ownerProblem(st);
    if (owner) throw stateDirError(dir, `lies under ${d}, which ${owner}: that user could replace it`);
    const writers = writersProblem(st, true);
    if (writers) throw stateDirError(dir, `lies under ${d}, which ${writers}: they could replace it`);
    if (d === dirname(d)) return;
  }
}

/**
 * Checks state_dir and its subdirectories; with `create`, makes a missing state_dir (mode 0700).
 * False when it does not exist (and was not made): there is nothing to read.
 */
export async function checkStateDir(stateDir: string, options: { create?: boolean } = {}): Promise<boolean> {
  if (options.create) await makeDir(stateDir);
  if (!(await checkPrivateDir(stateDir))) return false;
  await checkAncestors(stateDir);
  for (const sub of SUBDIRS) await checkPrivateDir(join(stateDir, sub));
  return true;
}

/** A directory zbk writes its own files in (under a checked state_dir): made 0700 when missing, else checked. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await makeDir(dir);
  await checkPrivateDir(dir);
}

/** `dir` made 0700; directories missing above it get the usual mode (a new /var/db stays readable). */
async function makeDir(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e;
  }
}

/**
 * Why zbk should not write `file` (an `--output`) as root, or null: its directory must belong
 * to root or the user, and be writable by no one else unless sticky. The file itself is
 * replaced by rename(2), which never follows a link planted in its place.
 */
export async function outputDirProblem(file: string): Promise<string | null> {
  const dir = dirname(file);
  let st: Stats;
  try {
    st = await stat(dir);
  } catch (e) {
    return `${dir}: ${errnoCode(e) === 'ENOENT' ? 'no such directory' : (e as Error).message}`;
  }
  if (!st.isDirectory()) return `${dir} is not a directory`;
  const owner = ownerProblem(st);
  if (owner) return `${dir} ${owner}: that user could replace the report; write it into a directory of root's or yours`;
  const writers = writersProblem(st, true);
  return writers && `${dir} ${writers}, who could replace the report: write it into a directory only root or you can write`;
}

/**
 * zbk's small JSON state under state_dir (/var/db/zbk), and other files it writes as root
 * (`scrub-report --output`), written atomically and exclusively: a new file with a random
 * name, created with O_EXCL (so never through a link or over a file someone planted), fsync,
 * rename over the old one (which replaces a link rather than following it), fsync the
 * directory. A reader sees the old content or the new, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../util/errno.js';
import { ensurePrivateDir, stateDirError } from './dir.js';

/** Reads a state file; null when there is none. A link in its place is refused, not followed. */
export async function readJson<T>(file: string): Promise<T | null> {
  let text: string;
  try {
    const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    // Linux says ELOOP, FreeBSD EMLINK, for O_NOFOLLOW on a link.
    if (errnoCode(e) === 'ELOOP' || errnoCode(e) === 'EMLINK') throw stateDirError(file, 'is a symbolic link; zbk does not follow links in state_dir: remove it');
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); move it aside to start afresh`);
  }
}

/** A new file beside `file` under a name no one can guess, created exclusively. */
async function createTemporary(file: string, mode: number): Promise<{ path: string; fh: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const path = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { path, fh: await open(path, 'wx', mode) };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST' || attempt >= 10) throw e;
    }
  }
}

export async function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const { path: tmp, fh } = await createTemporary(file, mode);
  try {
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const d = await open(dirname(file), 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Writes a state file; its directory (state_dir or one under it) is made private, or checked to be. */
export async function writeJson(file: string, data: unknown): Promise<void> {
  await ensurePrivateDir(dirname(file));
  return writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

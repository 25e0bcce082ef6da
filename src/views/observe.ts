/** What a view shows of one path: its type, size, mtime and, on request, content hash. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isoSeconds } from '../time/iso.js';
import type { Entry, EntryType } from './versions.js';

const typeOf = (st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType =>
  st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';

/**
 * The file's SHA-256, returned once the file is closed (a clone cannot be destroyed while a file
 * of it is open). Never cut short: a read stopped halfway left zfs-fuse's clone busy for good
 * about once in 20 SIGTERMs (its destroy failing, the pool with it), where one read to its end
 * never did in 80; a signal stops the reading between files (observe).
 */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } finally {
    if (!stream.closed) await once(stream, 'close');
  }
  return hash.digest('hex');
}

/** The entry at `dir/inner` (never following a symlink), or null where there is none. `signal`: stop before reading it. */
export async function observe(dir: string, inner: string, checksum: boolean, signal?: AbortSignal): Promise<Entry | null> {
  signal?.throwIfAborted();
  const path = inner === '' ? dir : join(dir, inner);
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
  const type = typeOf(st);
  let sha256: string | null = null;
  if (checksum && type === 'file') sha256 = await sha256File(path);
  if (checksum && type === 'symlink') sha256 = createHash('sha256').update(await readlink(path)).digest('hex');
  return { type, size: st.size, mtime: isoSeconds(new Date(Math.floor(st.mtimeMs / 1000) * 1000)), sha256 };
}

/** Every path under the directory `dir/inner`, relative to `dir`, without following symlinks; [] where it is not a directory. */
export async function walk(dir: string, inner: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    signal?.throwIfAborted();
    let entries;
    try {
      entries = await readdir(rel === '' ? dir : join(dir, rel), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw e;
    }
    for (const e of entries) {
      if (rel === '' && e.name === '.zfs') continue; // the snapshots themselves, where snapdir=visible
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(child);
      if (e.isDirectory()) await visit(child);
    }
  };
  await visit(inner);
  return out;
}

/**
 * zbk's small JSON state under state_dir (/var/db/zbk), written atomically: a temporary
 * file in the same directory, fsync, rename over the old one, fsync the directory. A reader
 * sees the old state or the new one, never half of either, whatever happens mid-write.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (e instanceof SyntaxError) throw new Error(`${file}: not valid JSON (${e.message}); move it aside to start afresh`);
    throw e;
  }
}

export async function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${file.slice(dir.length + 1)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export function writeJson(file: string, data: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

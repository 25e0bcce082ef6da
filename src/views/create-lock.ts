/**
 * One zbk at a time creates view clones (zfs-fuse deadlocks when several processes create
 * datasets at once): `<state_dir>/views/create.lock`, made with O_EXCL, holding the pid. A lock
 * whose pid is gone is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from '../process/group.js';

const WAIT_MS = 120_000;

export async function withCreateLock<T>(viewsDir: string, f: () => Promise<T>): Promise<T> {
  const path = join(viewsDir, 'create.lock');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const h = await open(path, 'wx', 0o600);
      await h.writeFile(`${process.pid}\n`);
      await h.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) {
        await unlink(path).catch((u: NodeJS.ErrnoException) => {
          if (u.code !== 'ENOENT') throw u;
        });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${path}: another zbk (pid ${holder || '?'}) has been creating views for ${WAIT_MS / 1000}s; is it stuck?`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await f();
  } finally {
    await unlink(path);
  }
}

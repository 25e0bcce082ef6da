/** Source trees for pull tests. */
import { utimes, writeFile } from 'node:fs/promises';

/**
 * Rewrites a file as a host would between two nights. rsync's quick check skips a file
 * whose size and mtime are unchanged, and on a fast machine the rewrite can fall in the same
 * second as the first write: the mtime is set a minute on, as a night apart would give.
 */
export async function rewrite(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data);
  const later = new Date(Date.now() + 60_000);
  await utimes(path, later, later);
}

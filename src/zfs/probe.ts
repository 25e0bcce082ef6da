/**
 * What the installed zfs/zpool accept, asked of the commands themselves (never configured).
 * Modern OpenZFS takes `zfs list -p`, comma-batched destroys, several datasets in one
 * `zfs snapshot` and user holds; older ZFS (zfs-fuse, pool v23) takes none of them.
 */
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';

export interface Capabilities {
  /** Modern OpenZFS: `zfs list -p`, `zfs destroy ds@a,b,c`, `zfs snapshot a@x b@x`, `zfs hold`. */
  readonly modern: boolean;
}

export async function probeZfs(run: Runner): Promise<Capabilities> {
  try {
    await run('zfs', ['list', '-H', '-p', '-o', 'name', '-d', '0'], { busyRetryMs: 0 });
    return { modern: true };
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'unsupported') return { modern: false };
    throw e;
  }
}

/** Whether `zpool status -j` (OpenZFS 2.3+, FreeBSD 15) exists. */
export async function probeStatusJson(run: Runner): Promise<boolean> {
  try {
    await run('zpool', ['status', '-j', 'zbk-probe-no-such-pool'], { busyRetryMs: 0 });
    return true;
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-pool') return true;
    if (e instanceof ZfsError && e.kind === 'unsupported') return false;
    throw e;
  }
}

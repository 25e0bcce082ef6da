/**
 * Real ZFS pools on sparse files for integration tests (zfs-fuse on Debian, the system's ZFS
 * on FreeBSD). Each test gets its own pool, named with the prefix that `make test` clears of
 * leftovers, and destroyed in teardown, also when the test fails. No ZFS: the test fails.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { execaWithDeadline } from './deadline.js';

export const TEST_POOL_PREFIX = 'zbkt_';

export interface TestPool {
  readonly name: string;
  readonly dir: string;
  readonly mountpoint: string;
  readonly disks: readonly string[];
}

let counter = 0;
let checked: Promise<void> | undefined;

/** `cmd args` (with `input` on its stdin): its result; an error when it fails or runs past the deadline. */
export function sh(cmd: string, args: readonly string[], input?: string) {
  return execaWithDeadline(cmd, args, { env: { LC_ALL: 'C' }, ...(input === undefined ? {} : { input }) });
}

function requireZfs(): Promise<void> {
  return (checked ??= sh('zpool', ['list']).then(
    () => undefined,
    (e: Error) => {
      throw new Error(`these tests need real ZFS and could not run \`zpool list\`: ${e.message.split('\n')[0]}\n` +
        'On Debian run `make test` (it installs zfs-fuse and starts the daemon) or start it with `zfs-fuse`.');
    },
  ));
}

/**
 * Destroys a test pool, retrying while zfs-fuse says it is busy (it now and then does, with
 * nothing using the pool). Its files are removed only once the pool is gone: a pool whose
 * disks vanish under it turns UNAVAIL, and zfs-fuse can stall every pool's writes behind one
 * like that. A pool that will not go fails the test, and is left for `make clean-test-pools`.
 */
export async function destroyPool(name: string, dir: string): Promise<void> {
  let said = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const r = await execaWithDeadline('zpool', ['destroy', '-f', name], { reject: false, env: { LC_ALL: 'C' } });
    if (r.exitCode === 0 || /no such pool/.test(r.stderr)) {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    said = r.stderr;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`could not destroy the test pool ${name}: ${said}`);
}

export async function makePool(t: Pick<ExecutionContext, 'teardown'>, options: { mirror?: boolean; sizeMiB?: number } = {}): Promise<TestPool> {
  await requireZfs();
  const name = `${TEST_POOL_PREFIX}${process.pid}_${++counter}`;
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const disks = (options.mirror ? ['d1', 'd2'] : ['d1']).map((d) => join(dir, d));
  for (const d of disks) await sh('truncate', ['-s', `${options.sizeMiB ?? 256}M`, d]);
  const mountpoint = join(dir, 'mnt');
  t.teardown(() => destroyPool(name, dir));
  // failmode=continue: a test that breaks a pool on purpose gets I/O errors, not a hung zfs.
  await sh('zpool', ['create', '-f', '-o', 'failmode=continue', '-m', mountpoint, name, ...(options.mirror ? ['mirror'] : []), ...disks]);
  return { name, dir, mountpoint, disks };
}

/**
 * What zbk accepts as a ZFS dataset or pool name, from the config, the command line or zpool's
 * output alike. A dataset name is stricter than zfs(8) on purpose (no spaces, no `%`): one that
 * passes can never be read as an option (it starts with a letter or digit), never climbs out of
 * its parent (no `.` or `..` component), and never names a snapshot or bookmark where a file
 * system is meant (no `@` or `#`). A pool name is what ZFS allows: it starts with a letter, so
 * it cannot be an option either.
 */
const COMPONENT = /^[A-Za-z0-9_.:-]+$/;
/** ZFS_MAX_DATASET_NAME_LEN is 256 with the terminating NUL. */
export const MAX_DATASET = 255;

/** Why `name` is not a dataset name zbk works on, or null when it is one. */
export function datasetNameProblem(name: string): string | null {
  const shown = JSON.stringify(name);
  if (name === '') return 'an empty dataset name';
  if (name.length > MAX_DATASET) return `${shown.slice(0, 40)}…: longer than ZFS allows (${MAX_DATASET} characters)`;
  if (!/^[A-Za-z0-9]/.test(name)) return `${shown} is not a dataset name: it must start with a letter or digit (pool/path)`;
  const parts = name.split('/');
  for (const part of parts) {
    if (part === '') return `${shown} is not a dataset name: an empty component (a doubled or trailing /)`;
    if (part === '.' || part === '..') return `${shown} is not a dataset name: a "${part}" component`;
    if (!COMPONENT.test(part)) return `${shown} is not a ZFS file system name (pool/path of A-Z a-z 0-9 _ . : -; no @ or #)`;
  }
  return null;
}

/**
 * Why `name` is not a pool name (as zfs_namecheck.c's pool_namecheck says), or null when it is
 * one: for `[scrub] pools`, pool arguments and what `zpool status` prints alike.
 */
export function poolNameProblem(name: string): string | null {
  if (name === '') return 'a pool name cannot be empty';
  if (!/^[A-Za-z]/.test(name)) return 'a pool name begins with a letter';
  if (!/^[A-Za-z0-9_.: -]+$/.test(name)) return 'a pool name has only letters, digits and _ - . : or space';
  return name.length < 256 ? null : 'a pool name is shorter than 256 characters';
}

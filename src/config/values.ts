/** Checks of single values the config shares between its tables: sizes, datasets, pools, commands. */

const SIZE = /^(\d+)([KMG]?)$/i;
const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*$/;
/** ZFS's limit (ZFS_MAX_DATASET_NAME_LEN, 256 with the NUL). */
export const MAX_DATASET = 255;
/** A pool name starts with a letter (zpool(8)); never with "-", which would be an option. */
const POOL = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
/** A command looked up on PATH: a plain name, not an option, not relative to where zbk runs. */
const COMMAND_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** `16K` → 16384; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  return m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase()) : null;
}

/** What is wrong with a job's dataset name (nothing: an empty list). */
export function checkDataset(name: string): string[] {
  if (!DATASET.test(name)) return [`"${name}" is not a ZFS filesystem name (pool/path, no @)`];
  if (name.split('/').some((part) => part === '.' || part === '..')) return [`"${name}" has a "." or ".." component`];
  if (name.length > MAX_DATASET) return [`"${name.slice(0, 40)}…" is longer than ZFS allows (${MAX_DATASET})`];
  return [];
}

export const isPoolName = (name: string): boolean => POOL.test(name);

/** zfs and zpool: an absolute path, or a plain name found on PATH. */
export function commandProblem(command: string): string | null {
  if (command.startsWith('/') || COMMAND_NAME.test(command)) return null;
  return `"${command}" must be a command name (found on PATH) or an absolute path`;
}

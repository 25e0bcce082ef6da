/** Checks of single values the config shares between its tables: sizes and commands (dataset and pool names: src/zfs/names.ts). */

const SIZE = /^(\d+)([KMG]?)$/i;
/** A command looked up on PATH: a plain name, not an option, not relative to where zbk runs. */
const COMMAND_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** `16K` → 16384; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  return m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase()) : null;
}

/** zfs and zpool: an absolute path, or a plain name found on PATH. */
export function commandProblem(command: string): string | null {
  if (command.startsWith('/') || COMMAND_NAME.test(command)) return null;
  return `"${command}" must be a command name (found on PATH) or an absolute path`;
}

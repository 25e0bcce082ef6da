/**
 * Who may change a file or directory zbk trusts (the config whose hooks it runs, its state,
 * a password file, a report it writes as root): it must be owned by root or by zbk's own user,
 * and nobody else may write it. A directory with the sticky bit (/tmp) may be writable by
 * others where only its entries matter: there only an entry's owner may rename or remove it.
 */
import { modeText } from './mode.js';

/** The owner and mode of a file, as stat(2) gives them. */
export interface Owned {
  readonly uid: number;
  readonly mode: number;
}

/** The uid zbk runs as (root where the platform has no uids). */
export const zbkUid = (): number => process.getuid?.() ?? 0;

/** Why `st` is owned by someone zbk must not trust, or null. */
export function ownerProblem(st: Owned, me = zbkUid()): string | null {
  return st.uid === 0 || st.uid === me ? null : `is owned by uid ${st.uid}, neither root nor zbk's user (uid ${me})`;
}

/** Why others than its owner may write `st`, or null; `stickyDir`: it is a directory whose sticky bit makes that harmless. */
export function writersProblem(st: Owned, stickyDir = false): string | null {
  if ((st.mode & 0o022) === 0 || (stickyDir && (st.mode & 0o1000) !== 0)) return null;
  return `is writable by ${(st.mode & 0o002) !== 0 ? 'others' : 'its group'} (mode ${modeText(st.mode)})`;
}

/** Both rules: the owner first, then who may write it. */
export function trustProblem(st: Owned, stickyDir = false): string | null {
  return ownerProblem(st) ?? writersProblem(st, stickyDir);
}

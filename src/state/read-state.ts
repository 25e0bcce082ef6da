/**
 * Reading a state file zbk wrote (jobs/, replicas/) as untrusted data: a file that cannot be
 * read, is not JSON or does not have the shape zbk writes is an error naming it, never a state
 * read as empty.
 */
import { readJson } from './store.js';

/** A state file exists but cannot be read, or does not hold the state zbk wrote there. */
export class StateUnreadable extends Error {}

/**
 * The parsed content of `file`, once `problem` finds nothing wrong with its shape; null when
 * there is no file. `what` names the state in the error ("job state", "replica state").
 */
export async function readStateFile<T>(file: string, what: string, problem: (data: unknown) => string | null): Promise<T | null> {
  let data: unknown;
  try {
    data = await readJson<unknown>(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw new StateUnreadable((e as Error).message); // not JSON: the store's words name the file
    const fix = code === 'EACCES' || code === 'EPERM' ? "check its permissions and its directory's" : 'move it aside to start afresh';
    throw new StateUnreadable(`${file}: cannot be read (${code}); ${fix}`);
  }
  if (data === null) return null;
  const wrong = problem(data);
  if (wrong) throw new StateUnreadable(`${file}: not a zbk ${what} (${wrong}); move it aside to start afresh`);
  return data as T;
}

/** What zbk judges of a file a job names (a key, a password file, a source directory). */
import { stat } from 'node:fs/promises';
import { errnoCode } from './errno.js';

export interface FileStat {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly mode: number;
  readonly uid: number;
}

/**
 * stat(2) of `path`, following links as the tool that opens it does; null when nothing is there
 * (ENOENT, or ENOTDIR: a file where a directory of the path should be). Other errors are thrown.
 */
export async function statOrNull(path: string): Promise<FileStat | null> {
  try {
    const s = await stat(path);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), mode: s.mode, uid: s.uid };
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return null;
    throw e;
  }
}

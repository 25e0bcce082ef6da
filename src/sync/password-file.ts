/**
 * The rule for a job's password_file, which rsync sends to the daemon as the password: one
 * judgement for `zbk run` and `zbk configtest` (src/jobs/preflight.ts) and `zbk check`. It must
 * be a regular file that only its owner can read or write (0600 or 0400: rsync refuses an
 * other-accessible one, and one its group can read is a secret shared), owned by root when zbk
 * runs as root (rsync refuses it otherwise), else by root or zbk's user.
 */
import { modeText } from '../util/mode.js';
import { shellWord } from '../util/shell-word.js';
import type { FileStat } from '../util/stat.js';
import { ownerProblem } from '../util/trust.js';
import { passwordFileNotRoot, passwordFileOpen } from './diagnose.js';

/** Why rsync must not be given `file` as the password file of zbk running as `uid`; null when all is well. */
export function passwordFileRefusal(file: string, stat: FileStat | null, uid: number): string | null {
  if (stat === null) return `password_file ${file} does not exist: write the module's password into it, and \`chmod 600 ${shellWord(file)}\``;
  if (!stat.isFile) return `password_file ${file} is not a regular file`;
  if (stat.mode & 0o006) return `${passwordFileOpen(file, may(stat.mode))} (mode ${modeText(stat.mode)})`;
  // rsync lets this one pass; a file only ever read has no use for an x bit, so zbk does not.
  if (stat.mode & 0o001) return `password_file ${file} is executable by others (mode ${modeText(stat.mode)}): run \`chmod 600 ${shellWord(file)}\``;
  const owner = ownerProblem(stat, uid);
  if (owner) return uid === 0 ? passwordFileNotRoot(file) : `password_file ${file} ${owner}: run \`chown ${uid} ${shellWord(file)}\``;
  if (stat.mode & 0o070) return `password_file ${file} is ${may(stat.mode >> 3)} by its group (mode ${modeText(stat.mode)}): run \`chmod 600 ${shellWord(file)}\``;
  return null;
}

/** The first of read, write and execute that the low rwx triplet of `bits` grants. */
const may = (bits: number): 'readable' | 'writable' | 'executable' => (bits & 0o4 ? 'readable' : bits & 0o2 ? 'writable' : 'executable');

/**
 * The files a job's pull reads, checked before it starts (and by `zbk configtest`): the
 * config module reads the config file only, so what the config names is checked here.
 *
 * - password_file: rsync sends it to the daemon as the password. It must be a regular
 *   file that only its owner can read (mode 0600 or 0400: rsync refuses other-readable
 *   ones when run as root, and a group-readable one is a secret shared), owned by root or
 *   by zbk's user.
 * - ssh_key and known_hosts must exist: ssh, told of a key that is not there, warns (which
 *   LogLevel=ERROR hides) and logs in with whatever default key it finds instead; a
 *   known_hosts that is not there fails every pull with a host-key error that does not
 *   say why.
 */
import { stat } from 'node:fs/promises';
import type { Job } from '../config/types.js';

/** One line per problem, each naming the job's key and the file; empty when all is well. */
export async function jobFileProblems(job: Job): Promise<string[]> {
  const problems: string[] = [];
  const check = async (key: string, path: string | null, secret: boolean) => {
    if (path === null) return;
    const why = await fileProblem(path, secret);
    if (why) problems.push(`${key} ${path}: ${why}`);
  };
  await check('password_file', job.passwordFile, true);
  await check('ssh_key', job.sshKey, false);
  await check('known_hosts', job.knownHosts, false);
  return problems;
}

async function fileProblem(path: string, secret: boolean): Promise<string | null> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`;
  }
  if (!st.isFile()) return 'is not a regular file';
  if (!secret) return null;
  const me = process.getuid?.() ?? 0;
  if (st.uid !== 0 && st.uid !== me) return `is owned by uid ${st.uid}, neither root nor zbk's user (uid ${me})`;
  if ((st.mode & 0o077) !== 0) {
    return `is readable or writable by others than its owner (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}): chmod 600 it`;
  }
  return null;
}

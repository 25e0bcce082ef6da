/**
 * The files a job's pull reads, checked before it starts: the config module reads the
 * config file only, so what the config names is checked here.
 *
 * - password_file (also by `zbk configtest`): rsync sends it to the daemon as the
 *   password. It must be a regular file that only its owner can read or write (mode 0600
 *   or 0400: rsync refuses other-readable ones when run as root, and a group-readable one
 *   is a secret shared), owned by root or by zbk's user.
 * - ssh_key and known_hosts must exist when the pull starts: ssh, told of a key that is
 *   not there, warns (which LogLevel=ERROR hides) and logs in with whatever default key
 *   it finds instead; a known_hosts that is not there fails the pull with a host-key
 *   error that does not say why. (`zbk configtest` leaves them to `zbk check`: a config
 *   may be written before its keys.)
 */
import { modeText } from '../util/mode.js';
import { stat } from 'node:fs/promises';
import type { Job } from '../config/types.js';

/** What is wrong with the job's password_file, naming key and file; null when all is well. */
export async function passwordFileProblem(job: Job): Promise<string | null> {
  return job.passwordFile === null ? null : named('password_file', job.passwordFile, await fileProblem(job.passwordFile, true));
}

/** Every file the pull reads: password_file, ssh_key, known_hosts. One line per problem. */
export async function pullFileProblems(job: Job): Promise<string[]> {
  const ssh = await Promise.all(
    (['ssh_key', 'known_hosts'] as const).map(async (key) => {
      const path = key === 'ssh_key' ? job.sshKey : job.knownHosts;
      return path === null ? null : named(key, path, await fileProblem(path, false));
    }),
  );
  return [await passwordFileProblem(job), ...ssh].filter((p): p is string => p !== null);
}

const named = (key: string, path: string, why: string | null): string | null => (why === null ? null : `${key} ${path}: ${why}`);

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
    return `is readable or writable by others than its owner (mode ${modeText(st.mode)}): chmod 600 it`;
  }
  return null;
}

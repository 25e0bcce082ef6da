/**
 * The files a job's pull reads, checked before it starts: the config module reads the
 * config file only, so what the config names is checked here.
 *
 * - password_file (also by `zbk configtest`): rsync sends it to the daemon as the
 *   password; src/sync/password-file.ts says what it must be (`zbk check` judges it alike).
 * - ssh_key and known_hosts must exist when the pull starts: ssh, told of a key that is
 *   not there, warns (which LogLevel=ERROR hides) and logs in with whatever default key
 *   it finds instead; a known_hosts that is not there fails the pull with a host-key
 *   error that does not say why. (`zbk configtest` leaves them to `zbk check`: a config
 *   may be written before its keys.)
 */
import type { Job } from '../config/types.js';
import { passwordFileRefusal } from '../sync/password-file.js';
import { errnoCode } from '../util/errno.js';
import { statOrNull, type FileStat } from '../util/stat.js';
import { zbkUid } from '../util/trust.js';

/** What is wrong with the job's password_file, naming key and file; null when all is well. */
export async function passwordFileProblem(job: Job): Promise<string | null> {
  const file = job.passwordFile;
  if (file === null) return null;
  const st = await statOf(file);
  return typeof st === 'string' ? `password_file ${file}: ${st}` : passwordFileRefusal(file, st, zbkUid());
}

/** Every file the pull reads: password_file, ssh_key, known_hosts. One line per problem. */
export async function pullFileProblems(job: Job): Promise<string[]> {
  const ssh = await Promise.all(
    (['ssh_key', 'known_hosts'] as const).map(async (key) => {
      const path = key === 'ssh_key' ? job.sshKey : job.knownHosts;
      if (path === null) return null;
      const st = await statOf(path);
      const why = st === null ? 'does not exist' : typeof st === 'string' ? st : st.isFile ? null : 'is not a regular file';
      return why === null ? null : `${key} ${path}: ${why}`;
    }),
  );
  return [await passwordFileProblem(job), ...ssh].filter((p): p is string => p !== null);
}

/** stat(2) of `path` (following links, as rsync and ssh open it), or why it cannot be read. */
const statOf = (path: string): Promise<FileStat | null | string> =>
  statOrNull(path).catch((e: unknown) => `cannot be read (${errnoCode(e) ?? (e as Error).message})`);

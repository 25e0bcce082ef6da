/**
 * `zbk check`, the pure half: which checks each job needs (from the parsed config), and what
 * each observation means — ok, a warning or a failure, with the fix. src/check/perform.ts
 * makes the observations (stat, ssh-keygen, ssh, rsync, zfs) and hands them back here.
 */
import type { Config, Job } from '../config/types.js';
import {
  diagnose, hostKeyFix, hostKeyUnknown, keyFileMissing, keyFileOpen, knownHostsName, sourcePathMissing, transportFacts,
  type TransportFacts,
} from '../sync/diagnose.js';
import { passwordFileRefusal } from '../sync/password-file.js';
import { modeText } from '../util/mode.js';
import { shellWord } from '../util/shell-word.js';
import type { FileStat } from '../util/stat.js';
import { writersProblem } from '../util/trust.js';
import { sourceOperand } from '../sync/source.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface Result {
  /** The job checked, or null for the config as a whole (unused retention policies). */
  readonly job: string | null;
  readonly check: CheckKind | 'retention';
  readonly status: Status;
  readonly message: string;
}

type CheckKind = Check['kind'];

interface Base {
  /** Unique in a plan; `needs` names the checks that must pass before this one is worth doing. */
  readonly id: string;
  readonly job: string;
  readonly needs: readonly string[];
}

export type Check = Base & (
  | { readonly kind: 'ssh-key'; readonly file: string }
  /** required: the job names the file; ssh's default one may be missing when the key is in the system-wide file. */
  | { readonly kind: 'known-hosts'; readonly facts: TransportFacts; readonly required: boolean }
  | { readonly kind: 'host-key'; readonly facts: TransportFacts; readonly files: readonly string[] }
  | { readonly kind: 'ssh'; readonly facts: TransportFacts; readonly sshKey: string | null; readonly knownHosts: string | null }
  | { readonly kind: 'password-file'; readonly file: string }
  | { readonly kind: 'daemon'; readonly facts: TransportFacts }
  | { readonly kind: 'local-source'; readonly path: string }
  | { readonly kind: 'pool'; readonly pool: string }
  | { readonly kind: 'dataset'; readonly dataset: string; readonly mounted: boolean }
);

/** A check without its place in the plan. */
type CheckBody = Check extends infer C ? (C extends Check ? Omit<C, keyof Base> : never) : never;

/** The system-wide known_hosts that ssh also reads when a job names none. */
const GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts';

/** The checks of the given jobs, in the order they are worth doing. `home`: the home of the user zbk runs as. */
export function planChecks(jobs: readonly Job[], home: string): Check[] {
  return jobs.flatMap((job) => jobChecks(job, home));
}

function jobChecks(job: Job, home: string): Check[] {
  const id = (kind: string) => `${job.name}/${kind}`;
  const checks: Check[] = [];
  const add = (needs: string[], body: CheckBody) => checks.push({ id: id(body.kind), job: job.name, needs, ...body });
  const facts = transportFacts(job, home);
  switch (facts?.source.kind) {
    case 'ssh': {
      if (job.sshKey !== null) add([], { kind: 'ssh-key', file: job.sshKey });
      add([], { kind: 'known-hosts', facts, required: job.knownHosts !== null });
      add([id('known-hosts')], { kind: 'host-key', facts, files: job.knownHosts === null ? [facts.knownHosts, GLOBAL_KNOWN_HOSTS] : [facts.knownHosts] });
      add([...(job.sshKey === null ? [] : [id('ssh-key')]), id('host-key')], { kind: 'ssh', facts, sshKey: job.sshKey, knownHosts: job.knownHosts });
      break;
    }
    case 'daemon':
      if (job.passwordFile !== null) add([], { kind: 'password-file', file: job.passwordFile });
      add(job.passwordFile === null ? [] : [id('password-file')], { kind: 'daemon', facts });
      break;
    case 'local':
      add([], { kind: 'local-source', path: facts.source.path });
      break;
    case undefined: // a snapshot-only job
      break;
  }
  add([], { kind: 'pool', pool: job.dataset.split('/')[0]! });
  add([id('pool')], { kind: 'dataset', dataset: job.dataset, mounted: job.source !== null });
  return checks;
}

/** Retention policies no job uses: a misspelt `[retention.defualt]` shows up here. The built-in `default` is exempt. */
export function unusedPolicies(config: Pick<Config, 'policies' | 'jobs'>): Result[] {
  const used = new Set(config.jobs.map((j) => j.retentionName));
  return [...config.policies.keys()]
    .filter((name) => name !== 'default' && !used.has(name))
    .map((name) => {
      const near = [...used, 'default'].find((u) => u !== '(inline)' && editDistance(u, name) <= 2);
      return {
        job: null, check: 'retention', status: 'warn',
        message: `retention policy ${name} is used by no job${near ? ` (a misspelling of ${near}?)` : ''}: remove [retention.${name}], or name it in a job's retention`,
      };
    });
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

// What the observations mean. A file's stat is null when it does not exist.



export function judgeKeyFile(file: string, stat: FileStat | null): [Status, string] {
  if (stat === null) return ['fail', keyFileMissing(file)];
  if (!stat.isFile) return ['fail', `ssh_key ${file} is not a file`];
  // ssh refuses a private key that its group or others may read (any of the 077 bits).
  if (stat.mode & 0o077) return ['fail', `${keyFileOpen(file)} (mode ${modeText(stat.mode)})`];
  return ['ok', `ssh_key ${file} (mode ${modeText(stat.mode)})`];
}

export function judgeKnownHosts(facts: TransportFacts, required: boolean, stat: FileStat | null): [Status, string] {
  const file = facts.knownHosts;
  if (stat === null && !required) return ['ok', `no ${file} (and no known_hosts in the job): the host key must be in ${GLOBAL_KNOWN_HOSTS}`];
  if (stat === null) return ['fail', `known_hosts ${file} does not exist: ${hostKeyFix(facts)}`];
  if (!stat.isFile) return ['fail', `known_hosts ${file} is not a file`];
  // Whoever can write it can make ssh trust their own host under the source's name.
  const writers = writersProblem(stat);
  if (writers) return ['fail', `known_hosts ${file} ${writers}, who could slip in a host key: run \`chmod 644 ${shellWord(file)}\``];
  return ['ok', `known_hosts ${file} (mode ${modeText(stat.mode)})`];
}

export function judgePasswordFile(file: string, stat: FileStat | null, uid: number): [Status, string] {
  const refusal = passwordFileRefusal(file, stat, uid);
  return refusal === null ? ['ok', `password_file ${file} (mode ${modeText(stat!.mode)})`] : ['fail', refusal];
}

/** `ssh-keygen -F` exits 0 when a file holds a key for the host; `found` is the file that did, or null. */
export function judgeHostKey(facts: TransportFacts, found: string | null): [Status, string] {
  return found === null ? ['fail', hostKeyUnknown(facts)] : ['ok', `the host key of ${knownHostsName(facts)} is in ${found}`];
}

/** Printed by the remote command when the source path is not a directory there. */
export const NO_SUCH_DIR = 'zbk-check: no such directory';

/**
 * The command ssh runs on the host: whether the source path is a directory, and rsync's
 * version. It goes through the login's shell (sh or csh): the path is single-quoted, and
 * only `||` and `;` are used, which both shells read alike.
 */
export function remoteCommand(path: string): string {
  return `test -d ${shellWord(path)} || echo '${NO_SUCH_DIR}'; rsync --version`;
}

/** A path the remote shell cannot be trusted to read back as it is (csh breaks on a newline). */
export function unsafeRemotePath(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(path);
}

export interface Ran {
  /** null when it could not start, or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function judgeSsh(facts: TransportFacts, ran: Ran): [Status, string] {
  const path = facts.source.kind === 'ssh' ? facts.source.path : '';
  const where = `${sourceOperand(facts.source).replace(/:\/.*$/s, '')} port ${facts.sshPort}`;
  if (ran.stdout.includes(NO_SUCH_DIR)) return ['fail', sourcePathMissing(facts, path.replace(/(.)\/$/, '$1'))];
  const version = /^rsync\s+version\s+(\S+)/m.exec(ran.stdout)?.[1];
  if (ran.code === 0 && version !== undefined) return ['ok', `ssh ${where}: logged in; ${path} exists; rsync ${version} there`];
  return ['fail', diagnose(ran.stderr, facts) ?? `ssh ${where} failed (${ran.code === null ? 'killed' : `exit ${ran.code}`}): ${lastLine(ran.stderr)}`];
}

export function judgeDaemon(facts: TransportFacts, ran: Ran): [Status, string] {
  if (facts.source.kind !== 'daemon') return ['fail', 'not an rsync:// source'];
  const where = sourceOperand(facts.source);
  if (ran.code === 0) return ['ok', `${where} lists`];
  return ['fail', diagnose(ran.stderr, facts) ?? `rsync --list-only ${where} failed (${ran.code === null ? 'killed' : `exit ${ran.code}`}): ${lastLine(ran.stderr)}`];
}

export function judgeLocalSource(path: string, stat: FileStat | null): [Status, string] {
  if (stat === null || !stat.isDirectory) return ['fail', `the source directory ${path} ${stat === null ? 'does not exist' : 'is not a directory'}: fix source, or create it`];
  return ['ok', `the source directory ${path} exists`];
}

export function judgePool(pool: string, health: string | null): [Status, string] {
  if (health === null) return ['fail', `pool ${pool} does not exist (or is not imported): \`zpool import ${pool}\`, or fix the job's dataset`];
  if (health !== 'ONLINE') return ['warn', `pool ${pool} is ${health}: see \`zbk scrub-report ${pool}\``];
  return ['ok', `pool ${pool} is ONLINE`];
}

/** props: null when the dataset does not exist; else its zbk:job (null if unset), mountpoint and mounted. */
export function judgeDataset(
  job: string, dataset: string, mustBeMounted: boolean,
  props: { readonly owner: string | null; readonly mountpoint: string; readonly mounted: string } | null,
): [Status, string] {
  if (props === null) return ['fail', `dataset ${dataset} does not exist: create it with \`zbk init --job ${job}\``];
  if (props.owner === null) return ['fail', `dataset ${dataset} has no zbk:job, and zbk run will not pull into it: if it is this job's, mark it with \`zbk init --adopt --job ${job}\``];
  if (props.owner !== job) return ['fail', `dataset ${dataset} belongs to job ${props.owner} (zbk:job), not ${job}: fix the job's dataset`];
  if (mustBeMounted && props.mounted !== 'yes') return ['fail', `dataset ${dataset} is not mounted (mountpoint ${props.mountpoint}): mount it with \`zfs mount ${dataset}\``];
  return ['ok', `dataset ${dataset} is job ${job}'s${mustBeMounted ? `, mounted on ${props.mountpoint}` : ''}`];
}

const lastLine = (text: string) => text.replaceAll('\r', '').split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? 'no message';

/** The exit code of a whole check: 0 all ok, 1 warnings, 2 a failure (as `zbk run`). */
export function exitCodeOf(results: readonly Result[]): 0 | 1 | 2 {
  if (results.some((r) => r.status === 'fail')) return 2;
  return results.some((r) => r.status === 'warn') ? 1 : 0;
}

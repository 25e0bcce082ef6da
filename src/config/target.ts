/**
 * `[[target]]` tables: a second ZFS box reached over ssh, or a pool on this machine, that
 * receives copies of the jobs' datasets (`zbk replicate`). Each key checked on its own, then
 * what only the whole config can tell (names and destinations taken twice, a local target
 * that overlaps a job's dataset).
 */
import type { Policy } from '../retention/policy.js';
import { LENGTH, TIMER } from '../util/duration.js';
import { readNameAndDataset, sshPath } from './job.js';
import { readRetention } from './policy.js';
import type { TableReader } from './reader.js';
import type { Problem } from './problems.js';
import type { Job, Target } from './types.js';
import { MAX_DATASET } from '../zfs/names.js';
import { commandProblem } from './values.js';

const TARGET_KEYS = [
  'name', 'host', 'dataset', 'ssh_key', 'ssh_port', 'known_hosts', 'zfs', 'retention', 'schedule', 'timeout', 'stale_after',
];
/** Keys that only mean something over ssh: on a local target they would be ignored. */
const SSH_KEYS = ['ssh_key', 'ssh_port', 'known_hosts'];

/** `user@host` or `host`: each part starts with a letter or digit, so ssh never reads it as an option. */
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
/** A zfs command sent over ssh is read by the remote shell: a plain word only. */
const REMOTE_COMMAND = /^[A-Za-z0-9_/][A-Za-z0-9_./+-]*$/;

export function readTargets(root: TableReader, policies: ReadonlyMap<string, Policy>, jobs: readonly Job[], problems: Problem[]): Target[] {
  const targets: { target: Target; index: number }[] = [];
  const seenNames = new Set<string>();
  for (const { reader, index: i } of root.tables('target', TARGET_KEYS)) {
    const target = readTarget(reader, policies);
    if (target.name !== '' && seenNames.has(target.name)) {
      problems.push({ path: ['target', i, 'name'], message: `"${target.name}" names an earlier target too; each target needs a name of its own` });
    }
    seenNames.add(target.name);
    targets.push({ target, index: i });
  }
  problems.push(...sharedDestinations(targets), ...localOverlaps(targets, jobs), ...longDestinations(targets, jobs));
  return targets.map(({ target }) => target);
}

function readTarget(r: TableReader, policies: ReadonlyMap<string, Policy>): Target {
  const { name, dataset } = readNameAndDataset(r, 'target', ' (its copy of job J is received as DATASET/J)');

  const host = readHost(r);
  if (!r.has('host')) {
    for (const key of SSH_KEYS) if (r.has(key)) r.problem(key, 'is for a target with a host (over ssh) only; on a local target it would be ignored');
  }
  const zfs = r.string('zfs', 'zfs');
  const zfsProblem = commandProblem(zfs) ?? (host !== null && !REMOTE_COMMAND.test(zfs)
    ? `"${zfs}" is run by the shell on ${host}: a plain command name or path only (letters, digits, "_", ".", "/", "+", "-")`
    : null);
  if (zfsProblem) r.problem('zfs', zfsProblem);
  const retention = readRetention(r, policies);
  const schedule = r.optionalString('schedule');
  return {
    name,
    host,
    dataset,
    sshKey: sshPath(r, 'ssh_key'),
    sshPort: r.integer('ssh_port', 22, 1, 65535),
    knownHosts: sshPath(r, 'known_hosts'),
    zfs,
    retentionName: retention?.retentionName ?? null,
    retention: retention?.retention ?? null,
    schedule,
    timeout: r.duration('timeout', '12h', TIMER),
    staleAfter: r.duration('stale_after', '48h', LENGTH),
  };
}

/**
 * The ssh destination, or null for a pool on this machine. A refused one is said, and still
 * read as a host: the checks of local targets must not take it for one.
 */
function readHost(r: TableReader): string | null {
  const v = r.get('host');
  const host = r.string('host', null);
  if (host === null) return v === undefined ? null : String(v);
  const problem = hostProblem(host);
  if (problem) r.problem('host', problem);
  return host;
}

/** What is wrong with an ssh destination (`user@host` or `host`), or null. */
export function hostProblem(host: string): string | null {
  const shown = JSON.stringify(host);
  if (host.trim() === '') return 'is empty; omit host for a pool on this machine';
  if (host.startsWith('-')) return `${shown} starts with "-": ssh would read it as an option`;
  if (/\s/.test(host)) return `${shown} holds white space`;
  if (host.includes(':') || host.includes('/')) {
    return `${shown} holds ":" or "/": host is only an ssh destination, user@host or host (the port goes in ssh_port, the dataset in dataset)`;
  }
  const at = host.lastIndexOf('@');
  const user = at < 0 ? null : host.slice(0, at);
  const name = host.slice(at + 1);
  if (user !== null && !USER.test(user)) {
    return `${shown}: the user "${user}" may hold only letters, digits, ".", "_" and "-", and start with a letter, digit or "_"`;
  }
  if (!HOST.test(name)) return `${shown}: the host "${name}" may hold only letters, digits, "." and "-", and start with a letter or digit`;
  return null;
}

const hostOf = (t: Target) => (t.host === null ? null : t.host.slice(t.host.lastIndexOf('@') + 1).toLowerCase());
const overlap = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/** Two targets on one host whose datasets are, or hold, one another would receive into each other's copies. */
function sharedDestinations(targets: readonly { target: Target; index: number }[]): Problem[] {
  const problems: Problem[] = [];
  targets.forEach(({ target: a, index }, n) => {
    const earlier = targets.slice(0, n).find(({ target: b }) => hostOf(a) === hostOf(b) && a.dataset !== '' && b.dataset !== '' && overlap(a.dataset, b.dataset));
    if (!earlier) return;
    const b = earlier.target;
    const where = a.host === null ? 'this machine' : hostOf(a)!;
    const how = a.dataset === b.dataset ? 'is also the dataset of' : 'overlaps the dataset';
    problems.push({
      path: ['target', index, 'dataset'],
      message: `${a.dataset} on ${where} ${how}${a.dataset === b.dataset ? '' : ` ${b.dataset} of`} target "${b.name}": ` +
        'their copies would be received into one another; give each target a dataset of its own',
    });
  });
  return problems;
}

/**
 * A local target's dataset that is, holds, or lies inside a job's dataset: the job's pull
 * (rsync --delete) would delete the copies, or pull them into its own history.
 */
function localOverlaps(targets: readonly { target: Target; index: number }[], jobs: readonly Job[]): Problem[] {
  const problems: Problem[] = [];
  for (const { target, index } of targets) {
    if (target.host !== null || target.dataset === '') continue;
    for (const job of jobs) {
      if (job.dataset === '' || !overlap(target.dataset, job.dataset)) continue;
      const how = target.dataset === job.dataset ? 'is' : target.dataset.startsWith(`${job.dataset}/`) ? 'is inside' : 'holds';
      problems.push({
        path: ['target', index, 'dataset'],
        message: `${target.dataset} ${how} the dataset ${job.dataset} of job "${job.name}": its pull (rsync --delete) would delete the copies ` +
          'or take them into its own history; give the target a dataset beside the jobs\' (e.g. on another pool)',
      });
    }
  }
  return problems;
}

/** Job J is received as DATASET/J: a name longer than ZFS allows could never be created. */
function longDestinations(targets: readonly { target: Target; index: number }[], jobs: readonly Job[]): Problem[] {
  const problems: Problem[] = [];
  for (const { target, index } of targets) {
    const job = jobs.find((j) => j.replicate.includes(target.name) && `${target.dataset}/${j.name}`.length > MAX_DATASET);
    if (job) {
      problems.push({
        path: ['target', index, 'dataset'],
        message: `${target.dataset}/${job.name}, where job "${job.name}" would be received, is longer than ZFS allows (${MAX_DATASET}); choose a shorter dataset`,
      });
    }
  }
  return problems;
}

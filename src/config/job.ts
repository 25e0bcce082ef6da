/**
 * `[[job]]` tables: each key checked on its own, then what only the whole list can tell
 * (names and datasets taken twice, a dataset inside another job's).
 */
import type { Policy } from '../retention/policy.js';
import { rsyncArgsProblems } from '../sync/args.js';
import { parseSource, type Source } from '../sync/source.js';
import { LENGTH, TIMER } from '../util/duration.js';
import { isTable, own, type TableReader } from './reader.js';
import type { Problem } from './problems.js';
import type { BlockSize, Job } from './types.js';
import { readRetention } from './policy.js';
import { datasetNameProblem } from '../zfs/names.js';
import { parseSize } from './values.js';

const JOB_KEYS = [
  'name', 'dataset', 'source', 'schedule', 'retention', 'exclude', 'rsync_args', 'block_size', 'recordsize',
  'ssh_key', 'ssh_port', 'known_hosts', 'password_file', 'timeout', 'pre_hook', 'post_hook', 'hook_timeout', 'stale_after',
  'replicate',
];

/** Lower case, digits, ".", "_", "-"; starting with a letter or digit, so never an option. Jobs and targets alike. */
const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_NAME = 100;

/** The keys only one kind of source uses; on any other they would be ignored, so they are errors. */
const TRANSPORT_KEYS: Record<'ssh_key' | 'ssh_port' | 'known_hosts' | 'password_file', Source['kind']> = {
  ssh_key: 'ssh', ssh_port: 'ssh', known_hosts: 'ssh', password_file: 'daemon',
};
const KIND_NAME: Record<Source['kind'], string> = { ssh: 'an ssh source (host:/path)', daemon: 'an rsync:// source', local: 'a local source' };

/**
 * Each [[job]]'s (or [[target]]'s) name where it is a valid one and the first of its kind, else
 * null (by index): errors name a job by the name the admin knows it by, and fall back to its index.
 */
export function tableNames(doc: Record<string, unknown>, key: 'job' | 'target'): (string | null)[] {
  const list = own(doc, key);
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  return list.map((body: unknown) => {
    const name = isTable(body) ? own(body, 'name') : undefined;
    if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_NAME || seen.has(name)) return null;
    seen.add(name);
    return name;
  });
}

/** `targets`: the names of the [[target]] tables, which `replicate` may name. */
export function readJobs(root: TableReader, policies: ReadonlyMap<string, Policy>, targets: ReadonlySet<string>, problems: Problem[]): Job[] {
  const jobs: { job: Job; index: number }[] = [];
  const seenNames = new Map<string, number>();
  const seenDatasets = new Map<string, string>();
  for (const { reader, index: i } of root.tables('job', JOB_KEYS)) {
    const job = readJob(reader, policies, targets);
    const problem = (key: string, message: string) => problems.push({ path: ['job', i, key], message });
    const earlier = seenNames.get(job.name);
    if (earlier !== undefined) problem('name', `"${job.name}" names an earlier job too; each job needs a name of its own`);
    seenNames.set(job.name, i);
    const owner = seenDatasets.get(job.dataset);
    if (owner !== undefined) problem('dataset', `${job.dataset} already belongs to job "${owner}"`);
    seenDatasets.set(job.dataset, job.name);
    jobs.push({ job, index: i });
  }
  problems.push(...nestedDatasets(jobs));
  return jobs.map(({ job }) => job);
}

/**
 * A job's dataset inside another job's is mounted inside it: the outer job's
 * `rsync --delete` would delete the inner job's files (and its pull would copy them).
 */
function nestedDatasets(jobs: readonly { job: Job; index: number }[]): Problem[] {
  const problems: Problem[] = [];
  for (const inner of jobs) {
    for (const outer of jobs) {
      if (inner.job.dataset === '' || !inner.job.dataset.startsWith(`${outer.job.dataset}/`)) continue;
      problems.push({
        path: ['job', inner.index, 'dataset'],
        message: `${inner.job.dataset} of job "${inner.job.name}" is inside ${outer.job.dataset} of job "${outer.job.name}", ` +
          `whose pull (rsync --delete) would delete its files: give each job a dataset of its own, beside the others (e.g. tank/backup/NAME)`,
      });
    }
  }
  return problems;
}

/**
 * The `name` and `dataset` of a [[job]] or [[target]] table, each checked once it is a string;
 * `datasetHint` follows the sentence that asks for a missing dataset.
 */
export function readNameAndDataset(r: TableReader, table: 'job' | 'target', datasetHint = ''): { name: string; dataset: string } {
  const said = r.problems.length;
  const name = r.string('name', '');
  if (!r.has('name')) r.problem(null, `a ${table} needs a name`);
  else if (r.problems.length === said && (!NAME.test(name) || name.length > MAX_NAME)) {
    r.problem('name', `"${name}" may hold only a-z, 0-9, ".", "_" and "-", start with a letter or digit, and be at most ${MAX_NAME} long`);
  }
  const named = r.problems.length;
  const dataset = r.string('dataset', '');
  if (!r.has('dataset')) r.problem(null, `${table} "${name}" needs a dataset${datasetHint}`);
  else if (r.problems.length === named) {
    const problem = datasetNameProblem(dataset);
    if (problem) r.problem('dataset', problem);
  }
  return { name, dataset };
}

function readJob(r: TableReader, policies: ReadonlyMap<string, Policy>, targets: ReadonlySet<string>): Job {
  const { name, dataset } = readNameAndDataset(r, 'job');

  const { retentionName, retention } = readJobRetention(r, policies);
  const text = r.optionalString('source');
  const parsed = text === null ? null : parseSource(text);
  if (typeof parsed === 'string') r.problem('source', parsed);
  // A source that does not parse is a problem said above, and the config is refused: this null is never seen.
  const source = typeof parsed === 'string' ? null : parsed;
  checkTransportKeys(r, typeof parsed === 'string' ? undefined : parsed?.kind ?? null);
  const recordsize = r.string('recordsize', null);
  if (recordsize !== null && !isRecordsize(recordsize)) {
    r.problem('recordsize', `"${recordsize}" is not a record size (a power of two from 512 to 1M, e.g. 16K)`);
  }
  const exclude = r.strings('exclude', []);
  for (const pattern of exclude) {
    const why = excludeProblem(pattern);
    if (why) r.problem('exclude', why);
  }
  const rsyncArgs = r.strings('rsync_args', []);
  for (const message of rsyncArgsProblems(rsyncArgs)) r.problem('rsync_args', message);
  return {
    name,
    dataset,
    source,
    schedule: r.string('schedule', '0 3 * * *'),
    retentionName,
    retention,
    exclude,
    rsyncArgs,
    blockSize: readBlockSize(r),
    recordsize,
    sshKey: sshPath(r, 'ssh_key'),
    sshPort: r.integer('ssh_port', 22, 1, 65535),
    knownHosts: sshPath(r, 'known_hosts'),
    passwordFile: absolutePath(r, 'password_file'),
    timeout: r.duration('timeout', '6h', TIMER),
    preHook: r.optionalString('pre_hook'),
    postHook: r.optionalString('post_hook'),
    hookTimeout: r.duration('hook_timeout', '10m', TIMER),
    staleAfter: r.duration('stale_after', '36h', LENGTH),
    replicate: readReplicate(r, targets),
  };
}

/** Target names, each defined by a [[target]] and named once. */
function readReplicate(r: TableReader, targets: ReadonlySet<string>): string[] {
  const names = r.strings('replicate', []);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) r.problem('replicate', `names ${JSON.stringify(name)} twice`);
    else if (!targets.has(name)) {
      const defined = targets.size > 0 ? `defined: ${[...targets].join(', ')}` : 'no [[target]] is defined';
      r.problem('replicate', `no target ${JSON.stringify(name)} (${defined}); add a [[target]] with name = ${JSON.stringify(name)}`);
    }
    seen.add(name);
  }
  return names;
}

/** `kind` null: a snapshot-only job; undefined: the source is wrong (said already). */
function checkTransportKeys(r: TableReader, kind: Source['kind'] | null | undefined): void {
  if (kind === undefined) return;
  for (const [key, wants] of Object.entries(TRANSPORT_KEYS)) {
    if (!r.has(key) || kind === wants) continue;
    const source = kind === null ? 'a job without a source' : KIND_NAME[kind];
    const hint = key === 'ssh_port' && kind === 'daemon' ? ' (an rsync:// source takes its port in the URL: rsync://host:PORT/module/)' : '';
    r.problem(key, `is for ${KIND_NAME[wants]} only; on ${source} it would be ignored${hint}`);
  }
  if (kind === null) {
    for (const key of ['exclude', 'rsync_args']) if (r.has(key)) r.problem(key, 'a job without a source pulls nothing: it would be ignored');
  }
}

/**
 * rsync reads `--exclude=X` as a rule: "+ X" includes X, "- X" excludes X, and "!" alone
 * clears every exclude before it (see args.ts). Whoever wrote these meant a filter rule,
 * which zbk's exclude list is not: refusing says so, where escaping would silently mean a
 * name nobody has. An empty pattern is dropped by rsync.
 */
function excludeProblem(pattern: string): string | null {
  if (pattern === '') return 'an empty pattern excludes nothing';
  if (pattern === '!') return '"!" would clear every exclude before it (rsync reads it as a rule, not a name)';
  if (/^[+-] /.test(pattern)) {
    return `${JSON.stringify(pattern)} would be rsync's ${pattern[0] === '+' ? 'include' : 'exclude'} rule for ${JSON.stringify(pattern.slice(2))}, ` +
      'not a path: list only what to exclude (a name that really starts so can be written with a wildcard: "[+] name")';
  }
  return null;
}

function absolutePath(r: TableReader, key: string): string | null {
  const path = r.optionalString(key);
  if (path !== null && !path.startsWith('/')) {
    r.problem(key, `"${path}" is not an absolute path: it would depend on the directory zbk runs in`);
  }
  return path;
}

/** ssh expands %-tokens and ${VAR} in key and known_hosts paths, and zbk quotes the latter with ". */
export function sshPath(r: TableReader, key: string): string | null {
  const path = absolutePath(r, key);
  if (path !== null && /["\\%$]/.test(path)) {
    r.problem(key, `"${path}" holds ", \\, % or $, which ssh reads as quoting, a %-token or a variable`);
  }
  return path;
}

function readJobRetention(r: TableReader, policies: ReadonlyMap<string, Policy>): { retentionName: string; retention: Policy } {
  return readRetention(r, policies) ?? { retentionName: 'default', retention: policies.get('default')! };
}

function readBlockSize(r: TableReader): BlockSize {
  const v = r.get('block_size');
  if (v === undefined || v === 'auto' || v === 'rsync') return (v as BlockSize | undefined) ?? 'auto';
  const n = typeof v === 'string' ? parseSize(v) : typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null;
  if (n === null || !Number.isInteger(n) || n < 1 || n > 131072) {
    r.problem('block_size', `must be "auto", "rsync" or a size up to 128K (rsync's limit), not ${JSON.stringify(typeof v === 'bigint' ? Number(v) : v)}`);
    return 'auto';
  }
  return n;
}

function isRecordsize(text: string): boolean {
  const n = parseSize(text);
  return n !== null && n >= 512 && n <= 1048576 && (n & (n - 1)) === 0;
}

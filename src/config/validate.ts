/** From the parsed TOML to a Config: every key of CONTRACT.md, checked, with defaults. */
import { DEFAULT_POLICY, validatePolicy, type Policy } from '../retention/policy.js';
import { validateSnapshotPrefix } from '../retention/naming.js';
import { parseSource } from '../sync/source.js';
import { isTable, TableReader, type Table } from './reader.js';
import type { Problem } from './problems.js';
import type { BlockSize, Config, Job } from './types.js';

export const DEFAULT_CONFIG_FILE = '/usr/local/etc/zbk.toml';

const TOP_KEYS = ['zbk', 'retention', 'job', 'scrub', 'alert'];
const ZBK_KEYS = ['snapshot_prefix', 'timezone', 'state_dir', 'destroy_batch', 'stop_timeout', 'zfs', 'zpool'];
const POLICY_KEYS = ['keep_last', 'keep_within', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];
const COUNT_KEYS = ['keep_last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
const JOB_KEYS = [
  'name', 'dataset', 'source', 'schedule', 'retention', 'exclude', 'rsync_args', 'block_size', 'recordsize',
  'ssh_key', 'ssh_port', 'known_hosts', 'password_file', 'timeout', 'pre_hook', 'post_hook', 'hook_timeout', 'stale_after',
];
const SCRUB_KEYS = ['pools', 'max_age', 'schedule', 'capacity_warn', 'capacity_crit'];

const JOB_NAME = /^[a-z0-9._-]+$/;
const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*$/;
const SIZE = /^(\d+)([KMG]?)$/i;

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `16K` → 16384; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  return m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase()) : null;
}

export function validateConfig(doc: Table, file: string | null): { config: Config; problems: Problem[] } {
  const problems: Problem[] = [];
  const root = new TableReader(doc, [], problems, TOP_KEYS);
  const z = root.subtable('zbk', ZBK_KEYS);

  const prefix = z.string('snapshot_prefix', 'zbk');
  for (const message of validateSnapshotPrefix(prefix)) z.problem('snapshot_prefix', message);
  const timezone = z.string('timezone', systemTimeZone());
  if (!isTimeZone(timezone)) z.problem('timezone', `"${timezone}" is not an IANA time zone (e.g. Europe/Athens, UTC)`);

  const policies = readPolicies(root, problems);
  const jobs = readJobs(root, policies, problems);

  const s = root.subtable('scrub', SCRUB_KEYS);
  const scrub = {
    pools: s.strings('pools', []),
    maxAge: s.duration('max_age', '35d'),
    schedule: s.string('schedule', '0 4 * * 0'),
    capacityWarn: s.integer('capacity_warn', 80, 1, 100),
    capacityCrit: s.integer('capacity_crit', 90, 1, 100),
  };
  if (scrub.capacityCrit < scrub.capacityWarn) s.problem('capacity_crit', `must not be below capacity_warn (${scrub.capacityWarn})`);
  const a = root.subtable('alert', ['command']);

  const config: Config = {
    file,
    prefix,
    timezone,
    stateDir: z.string('state_dir', '/var/db/zbk'),
    destroyBatch: z.integer('destroy_batch', 100, 1, 10000),
    stopTimeout: z.duration('stop_timeout', '60s'),
    tools: { zfs: z.string('zfs', 'zfs'), zpool: z.string('zpool', 'zpool') },
    policies,
    jobs,
    scrub,
    alert: { command: a.optionalString('command') },
  };
  return { config, problems };
}

function readPolicy(r: TableReader): Policy {
  const policy: { -readonly [K in keyof Policy]: Policy[K] } = {};
  for (const key of COUNT_KEYS) {
    const n = r.optionalInteger(key, 0);
    if (n !== undefined) policy[key] = n;
  }
  const within = r.duration('keep_within', null);
  if (within) policy.keep_within = within;
  for (const message of validatePolicy(policy)) r.problem(null, message);
  return policy;
}

function readPolicies(root: TableReader, problems: Problem[]): Map<string, Policy> {
  const policies = new Map<string, Policy>([['default', DEFAULT_POLICY]]);
  const section = root.table.retention;
  if (section === undefined) return policies;
  if (!isTable(section)) {
    root.problem('retention', 'must be a table of named policies, e.g. [retention.default]');
    return policies;
  }
  for (const [name, body] of Object.entries(section)) {
    if (!isTable(body)) {
      problems.push({ path: ['retention', name], message: 'must be a table ([retention.NAME] with keep_last, daily, …)' });
      continue;
    }
    policies.set(name, readPolicy(new TableReader(body, ['retention', name], problems, POLICY_KEYS)));
  }
  return policies;
}

function readJobs(root: TableReader, policies: ReadonlyMap<string, Policy>, problems: Problem[]): Job[] {
  const list = root.table.job;
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    root.problem('job', 'must be an array of tables ([[job]])');
    return [];
  }
  const seenNames = new Map<string, number>();
  const seenDatasets = new Map<string, string>();
  return list.flatMap((body, i): Job[] => {
    if (!isTable(body)) {
      problems.push({ path: ['job', i], message: 'must be a table ([[job]])' });
      return [];
    }
    const job = readJob(new TableReader(body, ['job', i], problems, JOB_KEYS), policies);
    const r = { problem: (key: string, message: string) => problems.push({ path: ['job', i, key], message }) };
    const earlier = seenNames.get(job.name);
    if (earlier !== undefined) r.problem('name', `"${job.name}" is already the name of job[${earlier}]`);
    seenNames.set(job.name, i);
    const owner = seenDatasets.get(job.dataset);
    if (owner !== undefined) r.problem('dataset', `${job.dataset} already belongs to job "${owner}"`);
    seenDatasets.set(job.dataset, job.name);
    return [job];
  });
}

function readJob(r: TableReader, policies: ReadonlyMap<string, Policy>): Job {
  const name = r.string('name', '');
  if (!r.has('name')) r.problem(null, 'a job needs a name');
  else if (!JOB_NAME.test(name)) r.problem('name', `"${name}" may hold only a-z, 0-9, ".", "_" and "-"`);
  const dataset = r.string('dataset', '');
  if (!r.has('dataset')) r.problem(null, `job "${name}" needs a dataset`);
  else if (!DATASET.test(dataset)) r.problem('dataset', `"${dataset}" is not a ZFS filesystem name (pool/path, no @)`);

  const { retentionName, retention } = readJobRetention(r, policies);
  const source = r.optionalString('source');
  if (source !== null) {
    const parsed = parseSource(source);
    if (typeof parsed === 'string') r.problem('source', parsed);
  }
  const recordsize = r.string('recordsize', null);
  if (recordsize !== null && !isRecordsize(recordsize)) {
    r.problem('recordsize', `"${recordsize}" is not a record size (a power of two from 512 to 1M, e.g. 16K)`);
  }
  return {
    name,
    dataset,
    source,
    schedule: r.string('schedule', '0 3 * * *'),
    retentionName,
    retention,
    exclude: r.strings('exclude', []),
    rsyncArgs: r.strings('rsync_args', []),
    blockSize: readBlockSize(r),
    recordsize,
    sshKey: r.optionalString('ssh_key'),
    sshPort: r.integer('ssh_port', 22, 1, 65535),
    knownHosts: r.optionalString('known_hosts'),
    passwordFile: r.optionalString('password_file'),
    timeout: r.duration('timeout', '6h'),
    preHook: r.optionalString('pre_hook'),
    postHook: r.optionalString('post_hook'),
    hookTimeout: r.duration('hook_timeout', '10m'),
    staleAfter: r.duration('stale_after', '36h'),
  };
}

function readJobRetention(r: TableReader, policies: ReadonlyMap<string, Policy>): { retentionName: string; retention: Policy } {
  const v = r.table.retention;
  if (v === undefined) return { retentionName: 'default', retention: policies.get('default')! };
  if (isTable(v)) return { retentionName: '(inline)', retention: readPolicy(r.subtable('retention', POLICY_KEYS)) };
  if (typeof v === 'string') {
    const p = policies.get(v);
    if (p) return { retentionName: v, retention: p };
    r.problem('retention', `no policy "${v}" (defined: ${[...policies.keys()].join(', ')}); add [retention.${v}]`);
  } else {
    r.problem('retention', 'must be a policy name or an inline table');
  }
  return { retentionName: 'default', retention: policies.get('default')! };
}

function readBlockSize(r: TableReader): BlockSize {
  const v = r.table.block_size;
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

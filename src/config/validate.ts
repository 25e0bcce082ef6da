/** From the parsed TOML to a Config: every key of zbk.toml(5), checked, with defaults. */
import { stopTimeoutProblems } from './stop-timeout.js';
import { validateSnapshotPrefix } from '../retention/naming.js';
import { LENGTH, TIMER } from '../util/duration.js';
import { readJobs, tableNames } from './job.js';
import { readTargets } from './target.js';
import { readPolicies } from './policy.js';
import { TableReader, type Table } from './reader.js';
import type { Problem } from './problems.js';
import type { Config } from './types.js';
import { isTimeZone, systemTimeZone } from '../time/zone.js';
import { commandProblem } from './values.js';
import { poolNameProblem } from '../zfs/names.js';

const TOP_KEYS = ['zbk', 'retention', 'job', 'target', 'scrub', 'alert'];
const ZBK_KEYS = ['snapshot_prefix', 'timezone', 'state_dir', 'destroy_batch', 'stop_timeout', 'zfs', 'zpool'];
const SCRUB_KEYS = ['pools', 'max_age', 'schedule', 'capacity_warn', 'capacity_crit'];

export function validateConfig(doc: Table, file: string | null): { config: Config; problems: Problem[] } {
  const problems: Problem[] = [];
  const root = new TableReader(doc, [], problems, TOP_KEYS);
  const z = root.subtable('zbk', ZBK_KEYS);

  const prefix = z.string('snapshot_prefix', 'zbk');
  for (const message of validateSnapshotPrefix(prefix)) z.problem('snapshot_prefix', message);
  const timeZone = z.string('timezone', systemTimeZone());
  if (!isTimeZone(timeZone)) z.problem('timezone', `"${timeZone}" is not an IANA time zone (e.g. Europe/Athens, UTC)`);
  const stateDir = z.string('state_dir', '/var/db/zbk');
  if (!stateDir.startsWith('/')) {
    z.problem('state_dir', `"${stateDir}" is not an absolute path: state and locks would move with the directory zbk runs in`);
  }
  const tools = { zfs: z.string('zfs', 'zfs'), zpool: z.string('zpool', 'zpool') };
  for (const key of ['zfs', 'zpool'] as const) {
    const problem = commandProblem(tools[key]);
    if (problem) z.problem(key, problem);
  }

  const stopTimeout = z.duration('stop_timeout', '60s', TIMER);
  for (const message of stopTimeoutProblems(stopTimeout)) z.problem('stop_timeout', message);

  const policies = readPolicies(root, problems);
  const targetNames = new Set(tableNames(doc, 'target').filter((name) => name !== null));
  const jobs = readJobs(root, policies, targetNames, problems);
  const targets = readTargets(root, policies, jobs, problems);

  const s = root.subtable('scrub', SCRUB_KEYS);
  const scrub = {
    pools: s.strings('pools', []),
    maxAge: s.duration('max_age', '35d', LENGTH),
    schedule: s.string('schedule', '0 4 * * 0'),
    capacityWarn: s.integer('capacity_warn', 80, 1, 100),
    capacityCrit: s.integer('capacity_crit', 90, 1, 100),
  };
  for (const pool of scrub.pools) {
    const problem = poolNameProblem(pool);
    if (problem) s.problem('pools', `${JSON.stringify(pool)}: ${problem}`);
  }
  if (scrub.capacityCrit < scrub.capacityWarn) s.problem('capacity_crit', `must not be below capacity_warn (${scrub.capacityWarn})`);
  const a = root.subtable('alert', ['command']);

  const config: Config = {
    file,
    prefix,
    timeZone,
    stateDir,
    destroyBatch: z.integer('destroy_batch', 100, 1, 10000),
    stopTimeout,
    tools,
    policies,
    jobs,
    targets,
    scrub,
    alert: { command: a.optionalString('command') },
  };
  return { config, problems };
}

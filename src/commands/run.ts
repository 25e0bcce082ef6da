/**
 * `zbk run [--job N]... [--all] [--now T] [--dry-run]`: every job in turn — one failure does
 * not stop the others. Exit 0 all ok, 1 warnings, 2 a job failed, 75 a job was locked.
 */
import { shellWord } from '../util/shell-word.js';
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import { stopOnSignals } from '../cli/stop-signals.js';
import type { Config, Job } from '../config/types.js';
import { ConfigError } from '../config/problems.js';
import { listOnce, rootMountpointProblems, type FilesystemList } from '../jobs/destination.js';
import { LockHeld } from '../jobs/lock.js';
import { destination, plannedSnapshot, runJob, syncArgv, type JobReport } from '../jobs/run-job.js';
import { pruneRefusal } from '../jobs/prune.js';
import { replicaBases } from '../jobs/replica-bases.js';
import { futureNowRefusal } from '../jobs/snapshot.js';
import { selectJobs } from '../cli/targets.js';
import { checkStateDir } from '../state/dir.js';
import { plan } from '../retention/plan.js';
import { formatProgress, formatSummary } from '../sync/progress.js';
import { counted } from '../util/plural.js';
import { wrap } from '../util/wrap.js';
import type { Zfs } from '../zfs/zfs.js';

interface RunArgs extends CommonArgs {
  readonly all?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

type Outcome = JobReport['outcome'] | 'locked';

export async function run(args: RunArgs): Promise<number> {
  const now = args.now === undefined ? null : clock(args);
  const config = await configFor(args, { schedules: true });
  if (args.all && args.job?.length) throw usageError('run: --all and --job exclude each other');
  const jobs = selectJobs(config, args.job);
  if (jobs.length === 0) throw usageError(`run: no jobs in ${config.file}`);
  const zfs = zfsFor(config);
  const filesystems = listOnce(zfs); // one listing for the run, not one a job
  const atRoot = await rootMountpointProblems(filesystems, jobs);
  if (atRoot.length > 0) throw new ConfigError(config.file ?? '(no config file)', atRoot.map((message) => ({ line: null, key: '', message })));
  if (args.dryRun) {
    for (const job of jobs) process.stdout.write(`${await describe(config, zfs, filesystems, job, now ?? new Date(), args.force ?? false)}\n`);
    return EXIT.ok;
  }

  // Before any lock or pull: a state_dir zbk must not trust is a config error (exit 78).
  await checkStateDir(config.stateDir, { create: true });
  const stopped = stopOnSignals('stopping the running pull; no snapshot of it will be taken');

  const outcomes: Outcome[] = [];
  const reports: (JobReport | { job: string; outcome: 'locked' | 'failed'; messages: string[] })[] = [];
  const tty = args.format !== 'json' && process.stderr.isTTY === true;
  for (const job of jobs) {
    if (stopped.aborted) break;
    try {
      const report = await runJob({
        config, job, zfs, filesystems, now, force: args.force ?? false, signal: stopped,
        ...(tty ? { onProgress: (p) => process.stderr.write(`\r\x1b[K${job.name}: ${formatProgress(p)}`) } : {}),
      });
      if (tty) process.stderr.write('\r\x1b[K');
      reports.push(report);
      outcomes.push(report.outcome);
      if (args.format !== 'json') process.stdout.write(`${summary(report)}\n`);
    } catch (e) {
      if (tty) process.stderr.write('\r\x1b[K');
      // runJob fails the job itself for anything but a held lock; should anything still
      // escape, it fails this job only, and the next one runs.
      const locked = e instanceof LockHeld;
      const message = e instanceof Error ? e.message : String(e);
      reports.push({ job: job.name, outcome: locked ? 'locked' : 'failed', messages: [message] });
      outcomes.push(locked ? 'locked' : 'failed');
      process.stderr.write(`zbk: ${locked ? message : `job ${job.name} failed: ${message}`}\n`);
    }
  }
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ jobs: reports })}\n`);
  return exitCode(outcomes);
}

function exitCode(outcomes: readonly Outcome[]): number {
  if (outcomes.includes('failed')) return EXIT.failed;
  if (outcomes.includes('locked')) return EXIT.locked;
  if (outcomes.includes('warning')) return EXIT.warning;
  return EXIT.ok;
}

/**
 * A job's lines for the terminal and the daily mail: the pull, then the snapshot, what the
 * prune destroyed, and each warning on lines of their own, none longer than a mail reader shows.
 */
export function summary(r: JobReport): string {
  const head = r.stats ? formatSummary(r.job, r.stats, r.durationMs) : `${r.job}: no pull (snapshot-only job)`;
  if (r.outcome === 'failed') {
    const [why = '', ...more] = r.messages;
    const failed = [`FAILED: ${why}`, ...more.map((m) => `also: ${m}`)];
    return r.stats ? lines([head, ...failed.map((l) => `  ${l}`)]) : lines([`${r.job}: ${failed[0]}`, ...failed.slice(1).map((l) => `  ${l}`)]);
  }
  return lines([
    head,
    `  snapshot ${r.snapshot ?? '-'}`,
    ...(r.pruned.length ? [`  pruned ${r.pruned.length}: ${[...r.pruned].sort().join(', ')}`] : []),
    ...r.messages.map((m) => `  WARNING: ${m}`),
    ...r.notes.map((m) => `  note: ${m}`),
  ]);
}

const lines = (ls: readonly string[]) => ls.map((l) => wrap(l, '    ')).join('\n');

/** What `run` would do for a job, without doing it. */
async function describe(config: Config, zfs: Zfs, filesystems: FilesystemList, job: Job, now: Date, force: boolean): Promise<string> {
  const lines = [`job ${job.name} (${job.dataset}):`];
  try {
    const target = await destination(zfs, config, job, filesystems);
    const future = force ? null : await futureNowRefusal(zfs, job.dataset, config.prefix, now, new Date());
    if (future) throw new Error(future);
    if (job.preHook) lines.push(`  pre hook:  sh -c ${JSON.stringify(job.preHook)}`);
    if (job.source) lines.push(`  rsync:     rsync ${syncArgv(job, job.source, target, false).map(shellWord).join(' ')}`);
    const snapshot = plannedSnapshot(config, job, now);
    const name = snapshot.slice(snapshot.indexOf('@') + 1);
    // The run prunes after its snapshot: plan with it, as the run will.
    const listed = await zfs.listSnapshots(job.dataset);
    const exists = listed.some((s) => s.name === name);
    lines.push(`  snapshot:  ${snapshot}${exists ? ' (exists already: the run would fail)' : ''}`);
    const p = plan([...listed.map((s) => ({ name: s.name, held: s.userrefs > 0 })), ...(exists ? [] : [{ name }])], job.retention, {
      now, timeZone: config.timeZone, prefix: config.prefix, pinned: await replicaBases(config, config.stateDir, job.name),
    });
    const taken = exists ? [] : [{ name, creation: Math.floor(Date.now() / 1000) }];
    const refused = pruneRefusal(job.dataset, [...listed, ...taken], p, now, config.prefix);
    const doomed = p.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name);
    lines.push(refused
      ? `  prune:     policy ${job.retentionName}; would destroy nothing: ${refused}`
      : `  prune:     policy ${job.retentionName}; would destroy ${doomed.length} of ${counted(p.snapshots.length, 'zbk snapshot')} counting the new one${doomed.length ? ` (${doomed.join(', ')})` : ''} (see zbk prune --dry-run)`);
    if (job.postHook) lines.push(`  post hook: sh -c ${JSON.stringify(job.postHook)}`);
  } catch (e) {
    lines.push(`  cannot run: ${(e as Error).message}`);
  }
  return lines.join('\n');
}


/**
 * `zbk daemon`: the scheduler rc.d runs under daemon(8). Each job's `schedule` and the
 * `[scrub] schedule`, in the configured time zone; jobs queue and never run twice at once;
 * a job that missed its last scheduled run (the box was off) runs once at start. Each
 * target's `schedule` replicates the jobs that name it, and a target without one receives a
 * job's snapshots right after each of its runs (daemon/replication.ts); replications have
 * their own queue, so a transfer never holds up a pull. SIGHUP
 * reloads the config (a broken one is logged and the old one kept); SIGTERM and SIGINT stop
 * scheduling, let a running pull finish within stop_timeout, else stop it (no snapshot of it),
 * and exit 0. `--syslog FACILITY` sends the log to syslog at each line's priority (see
 * daemon/log.ts); without it the log goes to stderr.
 */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import type { Config } from '../config/types.js';
import { stderrSink, syslogSink, SYSLOG_FACILITIES, type Log, type LogSink } from '../daemon/log.js';
import { missedRun } from '../daemon/schedule.js';
import {
  missedAfterRun, missedTargetRun, pairTaskId, replicationSchedule, targetTaskId, type Pair, type ReplicationHistory,
} from '../daemon/replication.js';
import { Scheduler, type Runnable, type Task } from '../daemon/scheduler.js';
import { DaemonSignals } from '../daemon/signals.js';
import { healthCheck } from '../jobs/health.js';
import { LockHeld } from '../jobs/lock.js';
import { runJob } from '../jobs/run-job.js';
import { releaseRemovedTargets } from '../replicate/holds.js';
import { formatSummaryLine } from '../replicate/progress.js';
import { replicate, TargetSessions } from '../replicate/replicate.js';
import { checkStateDir } from '../state/dir.js';
import { readJobState } from '../state/jobs.js';
import { listReplicaStates, readReplicaState, type ReplicaState } from '../state/replicas.js';
import type { Zfs } from '../zfs/zfs.js';
import { durationMs } from '../util/duration.js';
import { counted } from '../util/plural.js';

interface DaemonArgs extends CommonArgs {
  readonly syslog?: string;
}

export async function run(args: DaemonArgs): Promise<number> {
  const sink = sinkFor(args.syslog);
  const signals = new DaemonSignals();
  try {
    return await serve(args, sink.log, signals);
  } finally {
    await sink.flush();
  }
}

function sinkFor(facility: string | undefined): LogSink {
  if (facility === undefined) return stderrSink();
  if (!SYSLOG_FACILITIES.includes(facility)) {
    throw usageError(`--syslog ${facility}: not a facility zbk logs to (${SYSLOG_FACILITIES.join(', ')})`);
  }
  return syslogSink(facility);
}

async function serve(args: DaemonArgs, log: Log, signals: DaemonSignals): Promise<number> {
  let config = await configFor(args, { schedules: true });
  await checkStateDir(config.stateDir, { create: true }); // refused (exit 78) before anything is scheduled
  const lanes: Lanes = {
    jobs: new Scheduler(log),
    replications: new Scheduler(log, undefined, undefined, 'the target keeps its last complete snapshot; the next run sends again from the base'),
  };
  const schedule = (c: Config) => {
    const t = tasksFor(c, log, lanes);
    lanes.jobs.setTasks(t.jobs, c.timeZone);
    lanes.replications.setTasks(t.replications, c.timeZone);
    return t;
  };
  const tasks = schedule(config);
  signals.onReload(() => {
    configFor(args, { schedules: true }).then(
      (fresh) => {
        config = fresh;
        schedule(config);
        log('info', null, `reloaded ${config.file}`);
      },
      (e: unknown) => log('error', null, `reload failed, keeping the running config: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
  if (!signals.stopping) {
    await catchUp(config, tasks, lanes, log);
    log('info', null, `started with ${config.file} (${counted(config.jobs.length, 'job')}${config.targets.length ? `, ${counted(config.targets.length, 'target')}` : ''})`);
  }
  const signal = await signals.stopped;
  log('info', null, `${signal}: stopping`);
  const grace = durationMs(config.stopTimeout);
  await Promise.all([lanes.jobs.stop(grace), lanes.replications.stop(grace)]);
  log('info', null, 'stopped');
  return EXIT.ok;
}

/** Two queues side by side: the jobs' (and the scrub's), and the replications'. */
interface Lanes {
  readonly jobs: Scheduler;
  readonly replications: Scheduler;
}

interface Tasks {
  readonly jobs: Task[];
  readonly replications: Task[];
  /** A job's replication to one target, as run after the job or at catch-up. */
  readonly pair: (p: Pair) => Runnable;
}

function tasksFor(config: Config, log: Log, lanes: Lanes): Tasks {
  const zfs = zfsFor(config);
  const plan = replicationSchedule(config);
  const pair = (p: Pair): Runnable => ({
    id: pairTaskId(p.job.name, p.target.name),
    run: (signal) => replicatePairs(config, zfs, [p], log, signal),
  });
  const jobs: Task[] = config.jobs.map((job) => ({
    id: `job ${job.name}`,
    schedule: job.schedule,
    run: async (signal) => {
      log('info', `job ${job.name}`, 'started');
      try {
        const r = await runJob({ config, job, zfs, now: null, signal });
        const level = r.outcome === 'ok' ? 'info' : r.outcome === 'warning' ? 'warning' : 'error';
        log(level, `job ${job.name}`, `${r.outcome}${r.snapshot ? ` ${r.snapshot}` : ''}${[...r.messages, ...r.notes].length ? `: ${[...r.messages, ...r.notes].join('; ')}` : ''}`);
        // A new snapshot goes to the targets without a schedule of their own at once, in their queue.
        if (r.snapshot) for (const target of plan.afterRun.get(job.name) ?? []) lanes.replications.enqueue(pair({ job, target }));
      } catch (e) {
        if (!(e instanceof LockHeld)) throw e;
        log('warning', `job ${job.name}`, `skipped: ${e.message}`);
      }
    },
  }));
  const health: Task = {
    id: 'scrub',
    schedule: config.scrub.schedule,
    run: async () => {
      const r = await healthCheck(config, zfs);
      for (const d of r.scrubs.filter((s) => s.scrub)) log('info', 'scrub', `${d.pool}: scrub started: ${d.reason}`);
      for (const p of r.problems) log('error', 'scrub', p);
      const reasons = r.report.pools.flatMap((p) => p.assessment.reasons);
      log(r.report.alert === 'ok' ? 'info' : 'warning', 'scrub', `pools ${r.report.alert}${reasons.length ? `: ${reasons.join('; ')}` : ''}${r.alerted ? ' (alert sent)' : ''}`);
    },
  };
  const replications: Task[] = plan.scheduled.map((s) => ({
    id: targetTaskId(s.target.name),
    schedule: s.schedule,
    run: (signal) => replicatePairs(config, zfs, s.jobs.map((job) => ({ job, target: s.target })), log, signal),
  }));
  return { jobs: [...jobs, health], replications, pair };
}

/**
 * What `zbk replicate --target T` does for these pairs, one after another, each logged as its
 * summary line; a target locked by another zbk (a `zbk replicate` by hand) is skipped this time.
 */
async function replicatePairs(config: Config, zfs: Zfs, pairs: readonly Pair[], log: Log, signal: AbortSignal): Promise<void> {
  const cleaned = new Set<string>();
  let states: Promise<ReplicaState[]> | undefined;
  const listed = () => (states ??= listReplicaStates(config.stateDir));
  // One connection and one probe per target, whatever number of jobs it receives.
  const sessions = new TargetSessions(config);
  try {
    for (const { job, target } of pairs) {
      if (signal.aborted) return;
      const subject = targetTaskId(target.name);
      if (!cleaned.has(job.name)) {
        cleaned.add(job.name);
        for (const h of await releaseRemovedTargets(zfs, config.stateDir, job, listed)) log('info', subject, `released ${h}: its target no longer receives ${job.name}`);
      }
      try {
        const r = await replicate({ config, job, target, zfs, now: new Date(), dryRun: false, force: false, signal, sessions });
        log(r.outcome === 'ok' ? 'info' : r.outcome === 'warning' ? 'warning' : 'error', subject, formatSummaryLine(r));
      } catch (e) {
        if (!(e instanceof LockHeld)) throw e;
        log('warning', subject, `${job.name}: skipped: ${e.message}`);
      }
    }
  } finally {
    await sessions.close();
  }
}

async function catchUp(config: Config, tasks: Tasks, lanes: Lanes, log: Log): Promise<void> {
  const now = new Date();
  const jobSuccess = new Map<string, Date | null>();
  for (const job of config.jobs) {
    // An unreadable state file: its run fails the job with the reason; the others catch up.
    const state = await readJobState(config.stateDir, job.name).catch(() => null);
    const last = state?.lastSuccess ? new Date(state.lastSuccess.end) : null;
    jobSuccess.set(job.name, last);
    if (missedRun(job.schedule, config.timeZone, last, now)) {
      log('info', `job ${job.name}`, `missed its last scheduled run (last success: ${last?.toISOString() ?? 'never'}): running it now`);
      lanes.jobs.enqueue(tasks.jobs.find((t) => t.id === `job ${job.name}`)!);
    }
  }
  const attempts = new Map<string, Date | null>();
  for (const job of config.jobs) {
    for (const target of job.replicate) {
      // Unreadable: read as never attempted, so that the replication runs and says why it cannot.
      const state = await readReplicaState(config.stateDir, job.name, target).catch(() => null);
      attempts.set(pairTaskId(job.name, target), state?.lastAttempt ? new Date(state.lastAttempt.end) : null);
    }
  }
  const history: ReplicationHistory = {
    lastAttemptEnd: (job, target) => attempts.get(pairTaskId(job, target)) ?? null,
    lastJobSuccess: (job) => jobSuccess.get(job) ?? null,
  };
  const plan = replicationSchedule(config);
  for (const s of plan.scheduled) {
    if (!missedTargetRun(s, config.timeZone, history, now)) continue;
    log('info', targetTaskId(s.target.name), 'missed its last scheduled replication: running it now');
    lanes.replications.enqueue(tasks.replications.find((t) => t.id === targetTaskId(s.target.name))!);
  }
  for (const p of missedAfterRun(plan, config.jobs, history)) {
    // A job that also catches up is replicated again after its run, with the snapshot it takes.
    log('info', targetTaskId(p.target.name), `${p.job.name}: its last success has not been replicated: replicating it now`);
    lanes.replications.enqueue(tasks.pair(p));
  }
}

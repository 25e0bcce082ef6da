/**
 * `zbk daemon`: the scheduler rc.d runs under daemon(8). Each job's `schedule` and the
 * `[scrub] schedule`, in the configured time zone; jobs queue and never run twice at once;
 * a job that missed its last scheduled run (the box was off) runs once at start. SIGHUP
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
import { Scheduler, type Task } from '../daemon/scheduler.js';
import { DaemonSignals } from '../daemon/signals.js';
import { healthCheck } from '../jobs/health.js';
import { LockHeld } from '../jobs/lock.js';
import { runJob } from '../jobs/run-job.js';
import { checkStateDir } from '../state/dir.js';
import { readJobState } from '../state/jobs.js';
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
  const scheduler = new Scheduler(log);
  const tasks = tasksFor(config, log);
  scheduler.setTasks(tasks, config.timeZone);
  signals.onReload(() => {
    configFor(args, { schedules: true }).then(
      (fresh) => {
        config = fresh;
        scheduler.setTasks(tasksFor(config, log), config.timeZone);
        log('info', null, `reloaded ${config.file}`);
      },
      (e: unknown) => log('error', null, `reload failed, keeping the running config: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
  if (!signals.stopping) {
    await catchUp(config, tasks, scheduler, log);
    log('info', null, `started with ${config.file} (${counted(config.jobs.length, 'job')})`);
  }
  const signal = await signals.stopped;
  log('info', null, `${signal}: stopping`);
  await scheduler.stop(durationMs(config.stopTimeout));
  log('info', null, 'stopped');
  return EXIT.ok;
}

function tasksFor(config: Config, log: Log): Task[] {
  const zfs = zfsFor(config);
  const jobs: Task[] = config.jobs.map((job) => ({
    id: `job ${job.name}`,
    schedule: job.schedule,
    run: async (signal) => {
      log('info', `job ${job.name}`, 'started');
      try {
        const r = await runJob({ config, job, zfs, now: null, signal });
        const level = r.outcome === 'ok' ? 'info' : r.outcome === 'warning' ? 'warning' : 'error';
        log(level, `job ${job.name}`, `${r.outcome}${r.snapshot ? ` ${r.snapshot}` : ''}${r.messages.length ? `: ${r.messages.join('; ')}` : ''}`);
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
  return [...jobs, health];
}

async function catchUp(config: Config, tasks: readonly Task[], scheduler: Scheduler, log: Log): Promise<void> {
  const now = new Date();
  for (const job of config.jobs) {
    // An unreadable state file: its run fails the job with the reason; the others catch up.
    const state = await readJobState(config.stateDir, job.name).catch(() => null);
    const last = state?.lastSuccess ? new Date(state.lastSuccess.end) : null;
    if (missedRun(job.schedule, config.timeZone, last, now)) {
      log('info', `job ${job.name}`, `missed its last scheduled run (last success: ${last?.toISOString() ?? 'never'}): running it now`);
      scheduler.enqueue(tasks.find((t) => t.id === `job ${job.name}`)!);
    }
  }
}

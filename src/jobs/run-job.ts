/**
 * One job end to end: lock, pre hook, rsync into the dataset's mountpoint, snapshot, prune,
 * post hook, state. A pull that failed or was interrupted takes no snapshot; the next run
 * simply continues (`--inplace` resumes). The post hook always runs.
 */
import { homedir } from 'node:os';
import type { Config, Job } from '../config/types.js';
import { formatSnapshotName } from '../retention/naming.js';
import { readJobState, recordAttempt, StateUnreadable, type JobState } from '../state/jobs.js';
import { rsyncArgv, blockSizeFor } from '../sync/args.js';
import { explainRsyncFailure } from '../sync/diagnose.js';
import type { Outcome } from '../sync/exit-policy.js';
import { runRsync } from '../sync/runner.js';
import type { Source } from '../sync/source.js';
import type { Progress } from '../sync/progress.js';
import type { RsyncStats } from '../sync/stats.js';
import { durationMs } from '../util/duration.js';
import { isoSeconds } from '../time/iso.js';
import { ZfsError } from '../zfs/errors.js';
import { userProperty } from '../zfs/properties.js';
import type { Zfs } from '../zfs/zfs.js';
import { listOnce, OWNER_PROPERTY, ownershipProblem, placeProblem, type FilesystemList } from './destination.js';
import { runHook, type HookOptions } from './hooks.js';
import { acquireLock, LockHeld, type Lock } from './lock.js';
import { pullFileProblems } from './preflight.js';
import { pruneDataset, skippedMessage } from './prune.js';
import { replicaBases } from './replica-bases.js';
import { futureNowRefusal, takeSnapshots } from './snapshot.js';
import { jobTimeoutMs, syncJob } from './sync-job.js';

interface RunJobOptions {
  readonly config: Config;
  readonly job: Job;
  readonly zfs: Zfs;
  /** --now: names the snapshot and anchors retention; else the clock when the snapshot is taken. */
  readonly now: Date | null;
  /** Take a `now` more than a day ahead of the clock even on a dataset with real snapshots. */
  readonly force?: boolean;
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
  /** rsync binary (tests and odd systems). */
  readonly rsync?: string;
  /** The file systems, listed once for all the jobs of a run; by default listed for this job. */
  readonly filesystems?: FilesystemList;
}

export interface JobReport {
  readonly job: string;
  readonly dataset: string;
  readonly outcome: Outcome;
  /** What went wrong, or the warnings, in the words of the tool that said it. */
  readonly messages: string[];
  /** What is worth saying but no warning (a snapshot prune kept because a clone depends on it). */
  readonly notes: string[];
  readonly snapshot: string | null;
  readonly stats: RsyncStats | null;
  /** The snapshots the prune destroyed (names after the `@`). */
  readonly pruned: readonly string[];
  readonly durationMs: number;
}

/** A step that failed the job, with the words that say why. */
class JobFailed extends Error {}

/** The words for a failure: ours and zfs's as they are; anything else flagged as unexpected. */
function failureText(e: unknown): string {
  if (e instanceof JobFailed || e instanceof ZfsError || e instanceof StateUnreadable) return e.message;
  return `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Runs the job. Throws only LockHeld (another zbk runs it); every other exception fails the
 * job: the post hook sees ZBK_STATUS=failed, the state records it, the report says it.
 */
export async function runJob(o: RunJobOptions): Promise<JobReport> {
  const { config, job, zfs } = o;
  const started = new Date();
  const messages: string[] = [];
  const notes: string[] = [];
  let outcome: Outcome = 'ok';
  let snapshot: string | null = null;
  let stats: RsyncStats | null = null;
  let pruned: readonly string[] = [];
  const warn = (m: string) => {
    messages.push(m);
    if (outcome === 'ok') outcome = 'warning';
  };
  const fail = (e: unknown) => {
    outcome = 'failed';
    messages.unshift(failureText(e));
  };
  let lock: Lock | null = null;
  let lockFailure: unknown = null;
  try {
    lock = await acquireLock(config.stateDir, job.name, `zbk run --job ${job.name}`);
    for (const w of lock.warnings) warn(w);
  } catch (e) {
    if (e instanceof LockHeld) throw e;
    lockFailure = e;
  }
  let previous: JobState | null = null;
  let stateRead = false;
  try {
    // Read first: a run whose outcome cannot be recorded does not run (and the unreadable
    // file is left as it is, for the admin to look at).
    previous = await readJobState(config.stateDir, job.name).catch((e: unknown) => {
      throw e instanceof StateUnreadable ? new JobFailed(`${e.message}; the job did not run`) : e;
    });
    stateRead = true;
    if (lock === null) throw new JobFailed(`could not take the job's lock: ${failureText(lockFailure)}`);
    const target = await destination(zfs, config, job, o.filesystems);
    const future = o.now && !o.force ? await futureNowRefusal(zfs, job.dataset, config.prefix, o.now, new Date()) : null;
    if (future) throw new JobFailed(`nothing pulled: ${future}`);
    const files = job.source ? await pullFileProblems(job) : [];
    if (files.length > 0) throw new JobFailed(`${files.join('; ')}; the pull was skipped`);
    if (job.preHook) {
      const hook = await runHook(job.preHook, hookEnv(job, null, null), hookOptions(job, lock, o.signal));
      if (!hook.ok) throw new JobFailed(`pre_hook failed (${hook.output}); the pull was skipped`);
    }
    if (job.source) {
      const run = await pull(o, job.source, target, lock);
      stats = run.stats;
      // The runner's message names rsync already ("rsync failed with code 23 …"); zbk's diagnosis, if any, comes first.
      if (run.outcome === 'failed') throw new JobFailed(`${explainRsyncFailure(run, run.stderr, job, homedir())}; no snapshot taken`);
      if (run.outcome === 'warning') warn(run.message);
    }
    const at = o.now ?? new Date();
    const taken = await takeSnapshots(zfs, [job.dataset], config.prefix, at);
    if (taken.failed.length > 0) throw new JobFailed(taken.failed.map((f) => f.reason).join('; '));
    snapshot = `${job.dataset}@${taken.name}`;
    const p = await replicaBases(config, config.stateDir, job.name).then((pinned) => pruneDataset(zfs, {
      dataset: job.dataset, policy: job.retention, prefix: config.prefix, timeZone: config.timeZone,
      now: at, batchSize: config.destroyBatch, dryRun: false, force: false, pinned,
    })).catch((e: unknown) => {
      // The snapshot is taken: a prune that cannot go ahead (zfs failed to list, a replica
      // state that cannot be read, or the plan broke a safety rule) is a warning on this job,
      // not the end of the whole run.
      if (!(e instanceof Error)) throw e;
      warn(e instanceof ZfsError ? `prune: listing the snapshots failed (${e.message}); nothing destroyed` : `prune: ${e.message}`);
      return null;
    });
    if (p !== null) {
      pruned = p.destroyed;
      if (p.refused) warn(`prune: ${p.refused}`);
      for (const f of p.failed) warn(`prune: could not destroy ${job.dataset}@${f.name}: ${f.reason}`);
      for (const f of p.skipped) notes.push(`prune: ${skippedMessage(job.dataset, f.name)}`);
    }
  } catch (e) {
    fail(e);
  }
  try {
    if (job.postHook) {
      try {
        // It runs after an interrupted pull too; only a stop that comes while it runs stops it.
        const hook = await runHook(job.postHook, hookEnv(job, snapshot, outcome), hookOptions(job, lock, o.signal?.aborted ? undefined : o.signal));
        if (!hook.ok) warn(`post_hook failed (${hook.output})`);
      } catch (e) {
        fail(new JobFailed(`post_hook could not run: ${failureText(e)}`));
      }
    }
    if (stateRead) {
      await recordAttempt(config.stateDir, job.name, job.dataset, {
        start: isoSeconds(started), end: isoSeconds(new Date()), simulated: o.now ? isoSeconds(o.now) : null,
        outcome, message: messages.join('; ') || null, snapshot, stats,
      }, previous).catch((e: unknown) => fail(new JobFailed(`the outcome could not be recorded in the state: ${failureText(e)}`)));
    }
  } finally {
    await lock?.release().catch((e: unknown) => fail(new JobFailed(`the job's lock could not be released: ${failureText(e)}`)));
  }
  return { job: job.name, dataset: job.dataset, outcome, messages, notes, snapshot, stats, pruned, durationMs: Date.now() - started.getTime() };
}

interface Target {
  readonly mountpoint: string;
  readonly recordsize: number;
}

/**
 * The job's dataset, checked for what rsync --delete may do there (src/jobs/destination.ts):
 * marked as this job's, and for a pull, mounted at a place of its own with nothing mounted
 * inside it. Any refusal fails the job with the reason and what to do.
 */
export async function destination(zfs: Zfs, config: Config, job: Job, filesystems = listOnce(zfs)): Promise<Target> {
  let props: Map<string, string> | undefined;
  try {
    props = (await zfs.getProperties([job.dataset], ['mountpoint', 'mounted', 'recordsize', OWNER_PROPERTY])).get(job.dataset);
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') {
      throw new JobFailed(`dataset ${job.dataset} does not exist; create it with \`zbk init --job ${job.name}\``);
    }
    throw e;
  }
  const refuse = (problem: string | null) => {
    if (problem !== null) throw new JobFailed(problem);
  };
  refuse(ownershipProblem(job, userProperty(props, OWNER_PROPERTY), new Set(config.jobs.map((j) => j.name))));
  const mountpoint = props?.get('mountpoint') ?? '';
  const target = { mountpoint, recordsize: Number(props?.get('recordsize') ?? 131072) };
  if (!job.source) return target; // a snapshot-only job writes no file
  const mounted = mountpoint.startsWith('/') && props?.get('mounted') === 'yes';
  refuse(await placeProblem(filesystems, config, job, mountpoint, mounted));
  if (!mounted) throw new JobFailed(`dataset ${job.dataset} is not mounted (mountpoint ${mountpoint || 'unknown'}); rsync needs it mounted`);
  return target;
}

/** rsync's argv for pulling the job's `source` (its parsed source: callers have checked that it has one). */
export function syncArgv(job: Job, source: Source, target: Target, progress: boolean): string[] {
  const blockSize = blockSizeFor(job.blockSize, target.recordsize);
  if (typeof blockSize === 'string') throw new JobFailed(blockSize);
  return rsyncArgv(syncJob(job, source), { destination: `${target.mountpoint.replace(/\/+$/, '')}/`, blockSize, progress });
}

function pull(o: RunJobOptions, source: Source, target: Target, lock: Lock) {
  const argv = syncArgv(o.job, source, target, o.onProgress !== undefined);
  return runRsync(argv, {
    timeoutMs: jobTimeoutMs(o.job),
    tracker: lock,
    ...(o.rsync ? { rsync: o.rsync } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

function hookOptions(job: Job, lock: Lock | null, signal: AbortSignal | undefined): HookOptions {
  return { timeoutMs: durationMs(job.hookTimeout), ...(lock ? { tracker: lock } : {}), ...(signal ? { signal } : {}) };
}

function hookEnv(job: Job, snapshot: string | null, status: Outcome | null): Record<string, string> {
  return {
    ZBK_JOB: job.name,
    ZBK_DATASET: job.dataset,
    ...(status === null ? {} : { ZBK_SNAPSHOT: snapshot ?? '', ZBK_STATUS: status }),
  };
}

/** The snapshot name a run at `now` would take (for --dry-run). */
export function plannedSnapshot(config: Config, job: Job, now: Date): string {
  return `${job.dataset}@${formatSnapshotName(config.prefix, now)}`;
}

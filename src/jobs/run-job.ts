/**
 * One job end to end: lock, pre hook, rsync into the dataset's mountpoint, snapshot, prune,
 * post hook, state. A pull that failed or was interrupted takes no snapshot; the next run
 * simply continues (`--inplace` resumes). The post hook always runs.
 */
import type { Config, Job } from '../config/types.js';
import { formatSnapshotName } from '../retention/naming.js';
import { recordAttempt, type JobOutcome } from '../state/jobs.js';
import { rsyncArgv, blockSizeFor } from '../sync/args.js';
import { runRsync } from '../sync/runner.js';
import { parseSource } from '../sync/source.js';
import type { Progress } from '../sync/progress.js';
import type { RsyncStats } from '../sync/stats.js';
import { durationMs } from '../util/duration.js';
import { isoSeconds } from '../util/time.js';
import { ZfsError } from '../zfs/errors.js';
import type { Zfs } from '../zfs/zfs.js';
import { HOOK_TIMEOUT_MS, runHook } from './hooks.js';
import { acquireLock } from './lock.js';
import { pullFileProblems } from './preflight.js';
import { pruneDataset } from './prune.js';
import { takeSnapshots } from './snapshot.js';

export interface RunJobOptions {
  readonly config: Config;
  readonly job: Job;
  readonly zfs: Zfs;
  /** --now: names the snapshot and anchors retention; else the clock when the snapshot is taken. */
  readonly now: Date | null;
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
  /** rsync binary (tests and odd systems). */
  readonly rsync?: string;
}

export interface JobReport {
  readonly job: string;
  readonly dataset: string;
  readonly outcome: JobOutcome;
  /** What went wrong, or the warnings, in the words of the tool that said it. */
  readonly messages: string[];
  readonly snapshot: string | null;
  readonly stats: RsyncStats | null;
  readonly pruned: number;
  readonly durationMs: number;
}

/** A step that failed the job, with the words that say why. */
class JobFailed extends Error {}

export async function runJob(o: RunJobOptions): Promise<JobReport> {
  const { config, job, zfs } = o;
  const lock = await acquireLock(config.stateDir, job.name, `zbk run --job ${job.name}`);
  const started = new Date();
  const messages: string[] = [];
  let outcome: JobOutcome = 'ok';
  let snapshot: string | null = null;
  let stats: RsyncStats | null = null;
  let pruned = 0;
  const warn = (m: string) => {
    messages.push(m);
    if (outcome === 'ok') outcome = 'warning';
  };
  try {
    const target = await mountedTarget(zfs, job);
    const files = job.source ? await pullFileProblems(job) : [];
    if (files.length > 0) throw new JobFailed(`${files.join('; ')}; the pull was skipped`);
    if (job.preHook) {
      const hook = await runHook(job.preHook, hookEnv(job, null, null), HOOK_TIMEOUT_MS, undefined, o.signal);
      if (!hook.ok) throw new JobFailed(`pre_hook failed (${hook.output}); the pull was skipped`);
    }
    if (job.source) {
      const run = await pull(o, target);
      stats = run.stats;
      // The runner's message names rsync already ("rsync failed with code 23 …").
      if (run.outcome === 'failed') throw new JobFailed(`${run.message}; no snapshot taken`);
      if (run.outcome === 'warning') warn(run.message);
    }
    const at = o.now ?? new Date();
    const taken = await takeSnapshots(zfs, [job.dataset], config.prefix, at);
    if (taken.failed.length > 0) throw new JobFailed(taken.failed.map((f) => f.reason).join('; '));
    snapshot = `${job.dataset}@${taken.name}`;
    const p = await pruneDataset(zfs, {
      dataset: job.dataset, policy: job.retention, prefix: config.prefix, timeZone: config.timezone,
      now: at, batchSize: config.destroyBatch, dryRun: false, force: false,
    }).catch((e: unknown) => {
      // The snapshot is taken: a prune that cannot go ahead (zfs failed to list, or the
      // plan broke a safety rule) is a warning on this job, not the end of the whole run.
      if (!(e instanceof Error)) throw e;
      warn(e instanceof ZfsError ? `prune: listing the snapshots failed (${e.message}); nothing destroyed` : `prune: ${e.message}`);
      return null;
    });
    if (p !== null) {
      pruned = p.destroyed.length;
      if (p.refused) warn(`prune: ${p.refused}`);
      for (const f of p.failed) warn(`prune: could not destroy ${job.dataset}@${f.name}: ${f.reason}`);
    }
  } catch (e) {
    if (!(e instanceof JobFailed) && !(e instanceof ZfsError)) throw e;
    outcome = 'failed';
    messages.unshift(e.message);
  } finally {
    try {
      if (job.postHook) {
        const hook = await runHook(job.postHook, hookEnv(job, snapshot, outcome));
        if (!hook.ok) warn(`post_hook failed (${hook.output})`);
      }
      await recordAttempt(config.stateDir, job.name, job.dataset, {
        start: isoSeconds(started), end: isoSeconds(new Date()), outcome, message: messages.join('; ') || null, snapshot, stats,
      });
    } finally {
      await lock.release();
    }
  }
  return { job: job.name, dataset: job.dataset, outcome, messages, snapshot, stats, pruned, durationMs: Date.now() - started.getTime() };
}

interface Target {
  readonly mountpoint: string;
  readonly recordsize: number;
}

/** The job's dataset, mounted: where rsync writes. */
export async function mountedTarget(zfs: Zfs, job: Job): Promise<Target> {
  let props: Map<string, string> | undefined;
  try {
    props = (await zfs.getProperties([job.dataset], ['mountpoint', 'mounted', 'recordsize'])).get(job.dataset);
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') {
      throw new JobFailed(`dataset ${job.dataset} does not exist; create it with \`zbk init --job ${job.name}\``);
    }
    throw e;
  }
  const mountpoint = props?.get('mountpoint') ?? '';
  if (job.source && (!mountpoint.startsWith('/') || props?.get('mounted') !== 'yes')) {
    throw new JobFailed(`dataset ${job.dataset} is not mounted (mountpoint ${mountpoint || 'unknown'}); rsync needs it mounted`);
  }
  return { mountpoint, recordsize: Number(props?.get('recordsize') ?? 131072) };
}

export function syncArgv(job: Job, target: Target, progress: boolean): string[] {
  const source = parseSource(job.source!);
  if (typeof source === 'string') throw new JobFailed(source); // the config check has said so already
  const blockSize = blockSizeFor(job.blockSize, target.recordsize);
  if (typeof blockSize === 'string') throw new JobFailed(blockSize);
  return rsyncArgv(
    {
      source,
      exclude: job.exclude,
      rsyncArgs: job.rsyncArgs,
      timeoutMs: jobTimeoutMs(job),
      ...(job.sshKey ? { sshKey: job.sshKey } : {}),
      sshPort: job.sshPort,
      ...(job.knownHosts ? { knownHosts: job.knownHosts } : {}),
      ...(job.passwordFile ? { passwordFile: job.passwordFile } : {}),
    },
    { destination: `${target.mountpoint.replace(/\/+$/, '')}/`, blockSize, progress },
  );
}

const jobTimeoutMs = (job: Job): number => (job.timeout ? durationMs(job.timeout) : Number.POSITIVE_INFINITY);

function pull(o: RunJobOptions, target: Target) {
  const argv = syncArgv(o.job, target, o.onProgress !== undefined);
  return runRsync(argv, {
    timeoutMs: jobTimeoutMs(o.job),
    ...(o.rsync ? { rsync: o.rsync } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

function hookEnv(job: Job, snapshot: string | null, status: JobOutcome | null): Record<string, string> {
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

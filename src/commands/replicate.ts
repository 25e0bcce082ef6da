/**
 * `zbk replicate [--target T]... [--job N]... [--now T] [--dry-run] [--force]`: each job's new
 * snapshots to each of its targets (src/replicate/replicate.ts), one job×target at a time; one
 * failure does not stop the others. Exit 0 all done, 1 warnings (a target away), 2 something
 * failed or was refused, 75 a target was locked by another zbk.
 */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import { stopOnSignals } from '../cli/stop-signals.js';
import { selectJobs } from '../cli/targets.js';
import type { Config, Job, Target } from '../config/types.js';
import { LockHeld } from '../jobs/lock.js';
import { releaseRemovedTargets } from '../replicate/holds.js';
import { createProgress, formatSummaryLine, replicationLabel } from '../replicate/progress.js';
import { replicate, TargetSessions, type ReplicationReport } from '../replicate/replicate.js';
import { renderPlanText } from '../retention/render.js';
import { checkStateDir } from '../state/dir.js';
import { StateUnreadable } from '../state/read-state.js';
import { listReplicaStates, type ReplicaState } from '../state/replicas.js';
import { ZfsError } from '../zfs/errors.js';
import type { Zfs } from '../zfs/zfs.js';
import { counted } from '../util/plural.js';
import { wrap } from '../util/wrap.js';

interface ReplicateArgs extends CommonArgs {
  readonly target?: string[];
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

/** A pair the service could not report on: locked by another zbk, or an unexpected error. */
/** A pair (or a job's cleanup of targets it no longer has: target null) that never got as far as a report. */
interface Unreported { readonly job: string; readonly target: string | null; readonly outcome: 'locked' | 'failed'; readonly messages: readonly string[] }

type Result = ReplicationReport | Unreported;

export async function run(args: ReplicateArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args);
  const jobs = selectJobs(config, args.job);
  const pairs = selectPairs(config, jobs, args.target, args.job !== undefined && args.job.length > 0);
  const dryRun = args.dryRun ?? false;
  const zfs = zfsFor(config);
  const results: Result[] = [];
  if (!dryRun) {
    await checkStateDir(config.stateDir, { create: true });
    let states: Promise<ReplicaState[]> | undefined;
    const listed = () => (states ??= listReplicaStates(config.stateDir));
    for (const job of jobs) results.push(...(await releaseStale(zfs, config.stateDir, job, listed)));
  }
  if (pairs.length === 0) {
    process.stdout.write('nothing to replicate: no job names a target in its replicate list\n');
    return exitCode(results.map((r) => r.outcome));
  }
  const stopped = stopOnSignals('stopping the running transfer; the target keeps its last complete snapshot');
  const tty = args.format !== 'json' && process.stderr.isTTY === true;
  // One connection and one probe per target, whatever number of jobs it receives.
  const sessions = new TargetSessions(config);
  try {
    for (const { job, target } of pairs) {
      if (stopped.aborted) break;
      const progress = createProgress({ label: replicationLabel(job.name, target.name), output: args.format === 'json' ? null : process.stderr });
      try {
        const r = await replicate({
          config, job, target, zfs, now, dryRun, force: args.force ?? false, signal: stopped, sessions,
          // Only a line on a terminal shows the progress (and asks zfs send -nP for the stream's size).
          ...(tty ? { onProgress: (bytes: number, estimate: number | null) => progress.update(bytes, estimate) } : {}),
        });
        progress.done();
        results.push(r);
        if (args.format !== 'json') process.stdout.write(`${dryRun ? describe(r, config) : formatSummaryLine(r)}\n`);
      } catch (e) {
        progress.done();
        // The service reports what it expects; anything else fails this pair only, and the next one runs.
        const locked = e instanceof LockHeld;
        const message = e instanceof Error ? e.message : String(e);
        results.push({ job: job.name, target: target.name, outcome: locked ? 'locked' : 'failed', messages: [message] });
        process.stderr.write(`zbk: ${job.name} → ${target.name}: ${locked ? message.replace(/^job /, '') : `failed: ${e instanceof Error ? (e.stack ?? message) : message}`}\n`);
      }
    }
  } finally {
    await sessions.close();
  }
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ replications: results.map((r) => json(r, dryRun)) })}\n`);
  if (args.format === 'json') for (const r of results) if (isReport(r) && r.outcome !== 'ok') process.stderr.write(`zbk: ${r.job} → ${r.target}: ${r.messages.join('; ')}\n`);
  return exitCode(results.map((r) => r.outcome));
}

/**
 * Releases the holds of the job's targets that no longer receive it (removed from the config
 * or from its replicate list): nothing else ever would. A failure fails the job's cleanup only.
 */
async function releaseStale(zfs: Zfs, stateDir: string, job: Job, states: () => Promise<readonly ReplicaState[]>): Promise<Unreported[]> {
  try {
    for (const h of await releaseRemovedTargets(zfs, stateDir, job, states)) process.stderr.write(`zbk: released the hold ${h}: its target no longer receives ${job.name}\n`);
    return [];
  } catch (e) {
    if (!(e instanceof ZfsError || e instanceof StateUnreadable)) throw e;
    process.stderr.write(`zbk: ${job.name}: could not release the holds of targets it no longer replicates to: ${e.message}\n`);
    return [{ job: job.name, target: null, outcome: 'failed', messages: [e.message] }];
  }
}

/** The job×target pairs to replicate: each job's targets, only those named by --target. */
function selectPairs(config: Config, jobs: readonly Job[], names: readonly string[] | undefined, jobsNamed: boolean): { job: Job; target: Target }[] {
  const known = new Map(config.targets.map((t) => [t.name, t]));
  const missing = (names ?? []).filter((n) => !known.has(n));
  if (missing.length > 0) {
    throw usageError(`no target ${missing.map((n) => `"${n}"`).join(', ')} in ${config.file ?? 'the config'}${known.size ? ` (targets: ${[...known.keys()].join(', ')})` : ''}`);
  }
  const pairs = jobs.flatMap((job) => job.replicate.filter((t) => !names?.length || names.includes(t)).map((t) => ({ job, target: known.get(t)! })));
  if (pairs.length === 0 && (jobsNamed || names?.length)) {
    const who = jobs.map((j) => j.name).join(', ');
    const to = names?.length ? `target ${names.join(', ')}` : null;
    const why = !jobsNamed ? `no job replicates to ${to}` : to ? `job ${who} does not replicate to ${to}` : `job ${who} replicates to no target`;
    throw usageError(`replicate: ${why} (a job's replicate = [...] names its targets)`);
  }
  return pairs;
}

export function exitCode(outcomes: readonly Result['outcome'][]): number {
  if (outcomes.includes('failed')) return EXIT.failed;
  if (outcomes.includes('locked')) return EXIT.locked;
  if (outcomes.includes('warning')) return EXIT.warning;
  return EXIT.ok;
}

const isReport = (r: Result): r is ReplicationReport => 'mode' in r;

/** The dry run's JSON is zbk(8)'s shape exactly; a real run adds what happened. */
function json(r: Result, dryRun: boolean) {
  if (!isReport(r)) return { job: r.job, target: r.target, outcome: r.outcome, messages: r.messages };
  const planned = { job: r.job, target: r.target, source: r.source, destination: r.destination, mode: r.mode, base: r.base, send: r.send, prune: r.prune };
  if (dryRun) return planned;
  return { ...planned, outcome: r.outcome, bytes: r.bytes, seconds: Math.round(r.durationMs / 100) / 10, messages: r.messages };
}

const head = (r: ReplicationReport) => `${replicationLabel(r.job, r.target)} (${r.source} → ${r.destination})`;

/** What a real run would do and why: the mode and its base, the snapshots to send, the target's prune with its reasons. */
function describe(r: ReplicationReport, config: Config): string {
  const out = [`${head(r)}:`];
  let prune = '';
  const [why = ''] = r.messages;
  if (r.mode === null) out.push(`  ${r.outcome === 'warning' ? 'away' : 'cannot replicate'}: ${why}`);
  else if (r.mode === 'refused') out.push(`  refused: ${why}`);
  else {
    const mode = {
      full: 'full: the target has no copy yet; the oldest snapshot whole, then -I to the newest',
      incremental: r.bookmark === null
        ? `incremental from ${r.base}, the newest snapshot both sides hold (same name and guid)`
        : `incremental from ${r.base}, the target's newest copy that the source keeps only as its bookmark ${r.source}#${r.bookmark} (same guid; the snapshot was destroyed there): -i from the bookmark to the first snapshot, then -I`,
      resume: 'resume: an interrupted receive is continued from its token',
      'up-to-date': `up to date: the target holds the newest snapshot ${r.base}`,
    }[r.mode];
    out.push(`  mode: ${mode}`);
    out.push(r.send.length ? `  send ${counted(r.send.length, 'snapshot')}: ${r.send.join(', ')}` : '  send nothing');
    if (r.prunePlan) {
      const policy = config.targets.find((t) => t.name === r.target)?.retentionName ?? `${config.jobs.find((j) => j.name === r.job)?.retentionName} (the job's)`;
      out.push(`  prune on the target, policy ${policy}:`);
      prune = `\n${renderPlanText([{ dataset: r.destination, plan: r.prunePlan }], config.timeZone).replace(/^(?=.)/gm, '  ')}`;
    }
  }
  return lines(out) + prune;
}

const lines = (ls: readonly string[]) => ls.map((l) => wrap(l, '    ')).join('\n');

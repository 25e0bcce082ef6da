/**
 * `zbk prune [--job N]... [DATASET]... [--now T] [--dry-run] [--force]`: apply retention.
 * `--dry-run` shows every zbk snapshot with KEEP/DESTROY and its reasons and changes nothing;
 * where a real run would refuse, it says why, and exits 2 as that run would.
 */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { pruneDataset, type PruneOutcome } from '../jobs/prune.js';
import { targets } from '../cli/targets.js';
import { planJson, renderPlanJson, renderPlanText } from '../retention/render.js';
import { ZfsError } from '../zfs/errors.js';
import { replicaBases } from '../jobs/replica-bases.js';
import { StateUnreadable } from '../state/jobs.js';

interface PruneArgs extends CommonArgs {
  readonly datasets?: string[];
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

export async function run(args: PruneArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args, { optional: true });
  const zfs = zfsFor(config);
  const outcomes: PruneOutcome[] = [];
  let code: number = EXIT.ok;
  for (const t of targets(config, args.job, args.datasets)) {
    try {
      // The replication bases of the job that owns the dataset: `prune DATASET` keeps them too.
      const pinned = t.job ? await replicaBases(config, config.stateDir, t.job.name) : undefined;
      const o = await pruneDataset(zfs, {
        dataset: t.dataset, policy: t.policy, prefix: config.prefix, timeZone: config.timeZone, now,
        batchSize: config.destroyBatch, dryRun: args.dryRun ?? false, force: args.force ?? false, pinned,
      });
      outcomes.push(o);
      if (o.refused) code = EXIT.failed;
      else if (o.failed.length > 0 && code === EXIT.ok) code = EXIT.warning;
    } catch (e) {
      if (!(e instanceof ZfsError || e instanceof StateUnreadable)) throw e;
      process.stderr.write(`zbk: ${t.dataset}: nothing pruned: ${e.message}\n`);
      code = EXIT.failed;
    }
  }
  process.stdout.write(`${args.format === 'json' ? renderJson(outcomes, args.dryRun ?? false) : renderText(outcomes, args.dryRun ?? false, config.timeZone)}\n`);
  for (const o of outcomes) {
    if (o.refused) process.stderr.write(`zbk: ${o.refused}\n`);
    for (const f of o.failed) process.stderr.write(`zbk: could not destroy ${o.dataset}@${f.name}: ${f.reason}\n`);
  }
  return code;
}

/** The documented dry-run shape with `refused` (why a real run would refuse, or null); a real run adds what was destroyed and what failed. */
function renderJson(outcomes: readonly PruneOutcome[], dryRun: boolean): string {
  if (dryRun) return renderPlanJson(outcomes);
  return JSON.stringify({ datasets: outcomes.map((o) => ({ ...planJson(o), destroyed: o.destroyed, failed: o.failed })) });
}

function renderText(outcomes: readonly PruneOutcome[], dryRun: boolean, timeZone: string): string {
  if (dryRun) return renderPlanText(outcomes, timeZone);
  return outcomes
    .map((o) => {
      const kept = o.plan.snapshots.length - o.destroyed.length;
      const lines = [`${o.dataset}: destroyed ${o.destroyed.length}, kept ${kept}${o.failed.length ? `, ${o.failed.length} could not be destroyed` : ''}`];
      for (const name of o.destroyed) lines.push(`  destroyed ${o.dataset}@${name}`);
      return lines.join('\n');
    })
    .join('\n');
}

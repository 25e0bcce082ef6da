/**
 * `zbk restore --job N --at T PATH... (--to DIR | --to-source [--whole-source]) [--dry-run] [--delete]
 * [--format text|json]`: PATH as it was at T, into DIR or back onto the host. Exit 0 done,
 * 2 failed, 64 usage (nothing changed), 75 the job is locked (a push onto the host), 78 config.
 */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { ExitError, usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import { LockHeld } from '../jobs/lock.js';
import { restore, type Restore } from '../restore/restore.js';
import { isoSeconds } from '../time/iso.js';
import { jsonPrintable, printable } from '../util/printable.js';
import { formatTable } from '../util/table.js';
import { noteSwept, viewedJob } from './view-args.js';

interface RestoreArgs extends Omit<CommonArgs, 'job'> {
  readonly job?: string | string[];
  readonly at?: string;
  readonly paths?: string[];
  readonly to?: string;
  readonly toSource?: boolean;
  readonly wholeSource?: boolean;
  readonly dryRun?: boolean;
  readonly delete?: boolean;
}

/**
 * `{"job", "at", "snapshot", "to", "destination", "dryRun", "delete", "changes": [{"path", "change"}], "leftOut": [{"arg", "why"}], "outcome", "message"}`:
 * `to` is the absolute DIR or "source"; `change` is created, updated or deleted; paths as on the host.
 */
export function renderJson(r: Restore): string {
  return jsonPrintable(JSON.stringify({
    job: r.job, at: r.at, snapshot: r.choice.snapshot, to: r.to ?? 'source', destination: r.destination,
    dryRun: r.dryRun, delete: r.delete, changes: r.changes, leftOut: r.leftOut,
    outcome: r.verdict.outcome === 'ok' ? 'ok' : 'failed', message: r.verdict.outcome === 'ok' ? null : r.verdict.message,
  }));
}

export function renderText(r: Restore): string {
  const chose = r.choice.instant === null ? r.choice.snapshot : `${r.choice.snapshot} (the newest at or before ${isoSeconds(r.choice.instant)})`;
  const where = r.to === null ? `onto ${r.destination}` : `into ${r.to}`;
  const n = r.changes.length;
  const counted = r.dryRun ? `${n} change${n === 1 ? '' : 's'} would be made (dry run: nothing was changed)` : `${n} change${n === 1 ? '' : 's'}`;
  const lines = [`job ${r.job}: restore from ${chose} ${where}: ${counted}`];
  if (n > 0) lines.push(formatTable(r.changes.map((c) => [c.change, printable(c.path)]), new Set()));
  return lines.join('\n');
}

export async function run(args: RestoreArgs): Promise<number> {
  if (args.at === undefined) throw usageError('restore: say when with --at (a snapshot name, or an ISO 8601 instant)');
  if ((args.to === undefined) === !args.toSource) {
    throw usageError(args.toSource ? 'restore: --to DIR and --to-source exclude each other; give one' : 'restore: say where with --to DIR or --to-source');
  }
  const config = await configFor({ config: args.config });
  const job = await viewedJob('restore', config, args.job);
  let r: Restore;
  try {
    r = await restore(zfsFor(config), {
      job, stateDir: config.stateDir, prefix: config.prefix, at: args.at, paths: args.paths ?? [],
      to: args.to ?? null, dryRun: args.dryRun ?? false, delete: args.delete ?? false, wholeSource: args.wholeSource ?? false,
    });
  } catch (e) {
    if (e instanceof LockHeld) throw new ExitError(`restore: ${e.message}`, EXIT.locked);
    throw e;
  }
  noteSwept(r.swept);
  for (const line of r.unread) process.stderr.write(`zbk: restore: rsync said what zbk does not read as a change: ${printable(line)}\n`);
  for (const d of r.leftOut) process.stderr.write(`zbk: restore: the job's rsync_args ${printable(JSON.stringify(d.arg))} left out: ${d.why}\n`);
  process.stdout.write(`${args.format === 'json' ? renderJson(r) : renderText(r)}\n`);
  if (r.verdict.outcome === 'ok') return EXIT.ok;
  process.stderr.write(`zbk: restore failed: ${printable(r.verdict.message)}\n`);
  return EXIT.failed;
}

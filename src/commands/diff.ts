/** `zbk diff --job N FROM [TO] [--format text|json]`: added, removed and modified paths between two snapshots (TO: the live dataset). */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { isoSeconds } from '../time/iso.js';
import { jsonPrintable, printable } from '../util/printable.js';
import { formatTable } from '../util/table.js';
import { diff, type Diff } from '../views/diff.js';
import type { Choice } from '../views/select.js';
import { noteSwept, viewedJob } from './view-args.js';

interface DiffArgs extends Omit<CommonArgs, 'job'> {
  readonly job?: string | string[];
  readonly from?: string;
  readonly to?: string;
}

/** CONTRACT's shape (`to` null: the live dataset), with each change's size. */
export function renderJson(d: Diff): string {
  return jsonPrintable(JSON.stringify({
    job: d.job, from: d.from.snapshot, to: d.to?.snapshot ?? null,
    changes: d.changes.map((c) => ({ path: c.path, change: c.change, size: c.size })),
  }));
}

const chosen = (c: Choice | null): string =>
  c === null ? 'the live dataset' : c.instant === null ? c.snapshot : `${c.snapshot} (the newest at or before ${isoSeconds(c.instant)})`;

export function renderText(d: Diff): string {
  const count = (k: string) => d.changes.filter((c) => c.change === k).length;
  const head = `job ${d.job}: from ${chosen(d.from)} to ${chosen(d.to)} (${d.method}): ${count('added')} added, ${count('removed')} removed, ${count('modified')} modified`;
  if (d.changes.length === 0) return head;
  const rows = d.changes.map((c) => [c.change, c.size === null ? '-' : String(c.size), printable(c.path)]);
  return `${head}\n${formatTable(rows, new Set([1]))}`;
}

export async function run(args: DiffArgs): Promise<number> {
  const config = await configFor({ config: args.config });
  const job = await viewedJob('diff', config, args.job);
  const d = await diff(zfsFor(config), { job, stateDir: config.stateDir, prefix: config.prefix, from: args.from ?? '', to: args.to ?? null });
  noteSwept(d.swept);
  process.stdout.write(`${args.format === 'json' ? renderJson(d) : renderText(d)}\n`);
  return EXIT.ok;
}

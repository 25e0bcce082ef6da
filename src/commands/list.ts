/** `zbk list [DATASET]...`: zbk's snapshots per dataset with their instants and sizes. */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { usageError } from '../cli/errors.js';
import { parseSnapshotName } from '../retention/naming.js';
import { formatBytes } from '../util/size.js';
import { formatTable } from '../util/table.js';
import { isoSeconds } from '../time/iso.js';
import type { Snapshot } from '../zfs/snapshots.js';
import { checkedDatasets } from '../cli/targets.js';
import { describeView, findViews, type ViewInUse } from '../views/leftovers.js';
import { printable } from '../util/printable.js';

interface ListArgs extends CommonArgs {
  readonly datasets?: string[];
}

interface ListedDataset {
  readonly dataset: string;
  readonly snapshots: { name: string; time: string; used: number; referenced: number }[];
  readonly foreign: string[];
  /** Snapshot views of zbk history, diff or restore: in use, or left by a killed zbk (removed by the next that makes views). */
  readonly views: { kind: 'clone' | 'hold'; name: string; tag: string | null; pid: number | null; in_use: boolean }[];
}

function describeDataset(dataset: string, snapshots: readonly Snapshot[], prefix: string): ListedDataset {
  const listed: ListedDataset = { dataset, snapshots: [], foreign: [], views: [] };
  for (const s of snapshots) {
    const t = parseSnapshotName(prefix, s.name);
    if (t === null) listed.foreign.push(s.name);
    else listed.snapshots.push({ name: s.name, time: isoSeconds(t), used: s.used, referenced: s.referenced });
  }
  listed.snapshots.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return listed;
}

const viewJson = (v: ViewInUse): ListedDataset['views'][number] => ({ kind: v.kind, name: v.name, tag: v.tag, pid: v.pid, in_use: v.alive });

function renderText(list: readonly ListedDataset[]): string {
  return list
    .map((d) => {
      const head = `${d.dataset}: ${d.snapshots.length} zbk snapshot${d.snapshots.length === 1 ? '' : 's'}` +
        (d.foreign.length ? `, ${d.foreign.length} not zbk's (${d.foreign.join(', ')})` : '');
      const views = d.views.map((v) => `\n  ${printable(describeView({ kind: v.kind, name: v.name, tag: v.tag, pid: v.pid, alive: v.in_use }))}`).join('');
      if (d.snapshots.length === 0) return `${head}${views}`;
      const rows = [['SNAPSHOT', 'TIME (UTC)', 'USED', 'REFER'], ...d.snapshots.map((s) => [`${d.dataset}@${s.name}`, s.time, formatBytes(s.used), formatBytes(s.referenced)])];
      return `${head}\n${formatTable(rows, new Set([2, 3]))}${views}`;
    })
    .join('\n\n');
}

export async function run(args: ListArgs): Promise<number> {
  const config = await configFor(args, { optional: true });
  const datasets = args.datasets?.length ? checkedDatasets(args.datasets) : config.jobs.map((j) => j.dataset);
  if (datasets.length === 0) throw usageError('list: name a dataset, or configure jobs');
  const zfs = zfsFor(config);
  const list: ListedDataset[] = [];
  for (const ds of datasets) {
    const snapshots = await zfs.listSnapshots(ds);
    const views = (await findViews(zfs, ds, snapshots)).map(viewJson);
    list.push({ ...describeDataset(ds, snapshots, config.prefix), views });
  }
  process.stdout.write(args.format === 'json' ? `${JSON.stringify({ datasets: list }, null, 2)}\n` : `${renderText(list)}\n`);
  return EXIT.ok;
}

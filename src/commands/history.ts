/**
 * `zbk history --job N PATH [--checksum] [--deleted] [--format text|json]`: every distinct
 * version of PATH (as on the host) across the job's snapshots and the live dataset.
 */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { formatTable } from '../util/table.js';
import { jsonPrintable, printable } from '../util/printable.js';
import { history, type History, type PathHistory } from '../views/history.js';
import type { Version } from '../views/versions.js';
import { noteSwept, viewedJob } from './view-args.js';

interface HistoryArgs extends Omit<CommonArgs, 'job'> {
  readonly job?: string | string[];
  readonly path?: string;
  readonly checksum?: boolean;
  readonly deleted?: boolean;
}

const versionJson = (v: Version) => ({ type: v.type, size: v.size, mtime: v.mtime, sha256: v.sha256, snapshots: v.snapshots, live: v.live });

/** CONTRACT's shape; `live` says the live dataset holds the version too, `entries` comes with a directory PATH. */
export function renderJson(h: History): string {
  const out: Record<string, unknown> = { job: h.job, path: h.path, versions: h.versions.map(versionJson) };
  if (h.entries !== null) out.entries = h.entries.map((e) => ({ path: e.path, versions: e.versions.map(versionJson) }));
  return jsonPrintable(JSON.stringify(out));
}

function where(v: Version): string {
  const [first] = v.snapshots;
  const last = v.snapshots[v.snapshots.length - 1];
  const span = first === undefined ? '' : first === last ? first : `${first} .. ${last}`;
  const n = v.snapshots.length;
  return [span && `${span} (${n} snapshot${n === 1 ? '' : 's'})`, v.live ? 'live' : ''].filter(Boolean).join(' + ');
}

function table(p: PathHistory, checksum: boolean): string {
  if (p.versions.length === 0) return '  (no version)';
  const rows = [['#', 'TYPE', 'SIZE', 'MTIME (UTC)', ...(checksum ? ['SHA256'] : []), 'IN'],
    ...p.versions.map((v, i) => [String(i + 1), v.type, String(v.size), v.mtime, ...(checksum ? [v.sha256?.slice(0, 16) ?? '-'] : []), where(v)])];
  return formatTable(rows, new Set([0, 2])).split('\n').map((l) => `  ${l}`).join('\n');
}

export function renderText(h: History, checksum: boolean): string {
  const n = h.versions.length;
  const lines = [`${printable(h.path)} (job ${h.job}, ${h.snapshots.length} snapshots and the live dataset): ${n} version${n === 1 ? '' : 's'}`, table(h, checksum)];
  for (const e of h.entries ?? []) lines.push('', `${printable(e.path)}:`, table(e, checksum));
  return lines.join('\n');
}

export async function run(args: HistoryArgs): Promise<number> {
  const config = await configFor({ config: args.config });
  const job = await viewedJob('history', config, args.job);
  const h = await history(zfsFor(config), {
    job, stateDir: config.stateDir, prefix: config.prefix, path: args.path ?? '', checksum: args.checksum ?? false, deleted: args.deleted ?? false,
  });
  noteSwept(h.swept);
  process.stdout.write(`${args.format === 'json' ? renderJson(h) : renderText(h, args.checksum ?? false)}\n`);
  return EXIT.ok;
}

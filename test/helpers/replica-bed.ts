/**
 * A test bed for `zbk replicate`: two real pools (the source with a snapshot-only job "web",
 * and the target), a config with the target on this machine or through a real sshd on
 * 127.0.0.1, and nights: a file written into the source, then `zbk run --now`.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { zbk, type CliResult } from './cli.js';
import { makePool, sh, type TestPool } from './pool.js';
import type { TestSshd } from './sshd.js';

export interface Bed {
  readonly source: TestPool;
  readonly target: TestPool;
  readonly config: string;
  readonly state: string;
  /** The job's dataset. */
  readonly dataset: string;
  /** Where the target receives it. */
  readonly destination: string;
  readonly mnt: string;
  /** Nights so far. */
  nights: number;
}

export interface BedOptions {
  /** The source's own policy (default: keep_last = 5). */
  readonly jobPolicy?: string;
  /** The target's `retention` table (a name defined here): omitted = the job's. */
  readonly targetPolicy?: string;
  /** Reach the target through this sshd (as root, with its key and known_hosts). */
  readonly sshd?: TestSshd;
  readonly sizeMiB?: number;
}

export const FIRST_NIGHT = Date.parse('2026-11-01T03:00:00Z');
const DAY = 86_400_000;

export const nightIso = (n: number) => new Date(FIRST_NIGHT + (n - 1) * DAY).toISOString().replace(/\.000Z$/, 'Z');
/** zbk_2026-11-01T030000Z for night 1. */
export const snapName = (n: number) => `zbk_${nightIso(n).replace(/:/g, '')}`;

export async function makeBed(t: ExecutionContext, o: BedOptions = {}): Promise<Bed> {
  const source = await makePool(t, o.sizeMiB ? { sizeMiB: o.sizeMiB } : {});
  const target = await makePool(t, o.sizeMiB ? { sizeMiB: o.sizeMiB } : {});
  const state = join(source.dir, 'state');
  const config = join(source.dir, 'zbk.toml');
  const dataset = `${source.name}/web`;
  const remote = o.sshd
    ? [`host = "root@127.0.0.1"`, `ssh_port = ${o.sshd.port}`, `ssh_key = ${JSON.stringify(o.sshd.key)}`, `known_hosts = ${JSON.stringify(o.sshd.knownHosts)}`]
    : [];
  await writeFile(config, [
    '[zbk]', 'timezone = "UTC"', `state_dir = ${JSON.stringify(state)}`, '',
    '[retention.job]', o.jobPolicy ?? 'keep_last = 5', '',
    ...(o.targetPolicy ? ['[retention.copies]', o.targetPolicy, ''] : []),
    '[[job]]', 'name = "web"', `dataset = "${dataset}"`, 'retention = "job"', 'replicate = ["usb"]', '',
    '[[target]]', 'name = "usb"', `dataset = "${target.name}/zbk"`, ...remote,
    ...(o.targetPolicy ? ['retention = "copies"'] : []), '',
  ].join('\n'));
  const init = await zbk(['init', '--config', config]);
  if (init.exitCode !== 0) throw new Error(`zbk init: ${init.stderr}`);
  const mnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();
  return { source, target, config, state, dataset, destination: `${target.name}/zbk/web`, mnt, nights: 0 };
}

/** One night: a new file of `bytes` random bytes in the source, then `zbk run --now`. */
export async function night(bed: Bed, bytes = 4096): Promise<CliResult> {
  bed.nights++;
  await writeFile(join(bed.mnt, `night-${bed.nights}`), randomBytes(bytes));
  const r = await zbk(['run', '--config', bed.config, '--now', nightIso(bed.nights)]);
  if (r.exitCode !== 0) throw new Error(`zbk run night ${bed.nights}: exit ${r.exitCode}: ${r.stderr}`);
  return r;
}

export const replicateCli = (bed: Bed, ...args: string[]) => zbk(['replicate', '--config', bed.config, '--now', nightIso(bed.nights), ...args]);

/** Snapshot names of a dataset, oldest first (null: no such dataset). */
export async function snapshots(dataset: string): Promise<string[] | null> {
  const r = await sh('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-s', 'creation', '-r', dataset]).catch(() => null);
  if (r === null) return null;
  return r.stdout.split('\n').filter((l) => l.startsWith(`${dataset}@`)).map((l) => l.slice(dataset.length + 1));
}

/** name → value of the given properties of a dataset or snapshot. */
export async function props(name: string, ...keys: string[]): Promise<Record<string, string>> {
  const { stdout } = await sh('zfs', ['get', '-H', '-o', 'property,value', keys.join(','), name]);
  return Object.fromEntries(stdout.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
}

/** name → guid of a dataset's snapshots. */
export async function guids(dataset: string): Promise<Map<string, string>> {
  const names = (await snapshots(dataset)) ?? [];
  const out = new Map<string, string>();
  for (const n of names) out.set(n, (await props(`${dataset}@${n}`, 'guid')).guid!);
  return out;
}

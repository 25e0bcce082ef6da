/**
 * Destroying snapshots of one dataset. Modern OpenZFS takes `zfs destroy ds@a,b,c`, which is
 * atomic: when one snapshot cannot go, none go, and zfs names the culprits. zbk then strips
 * the named ones (each reported by name) and retries the rest; a batch whose argv is too long,
 * or that fails without naming anyone, is halved. Older ZFS destroys one snapshot a command.
 */
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';
import type { Capabilities } from './probe.js';

export interface DestroyFailure {
  readonly name: string;
  readonly reason: string;
}

export interface DestroyResult {
  readonly destroyed: string[];
  readonly failed: DestroyFailure[];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `cannot destroy snapshot tank/x@a: dataset is busy` → {a: 'dataset is busy'}. */
export function namedFailures(stderr: string, dataset: string): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `${dataset}@`;
  for (const line of stderr.split('\n')) {
    const m = /^cannot destroy(?: snapshot)? (\S+?): (.*)$/.exec(line.trim());
    if (m && m[1]!.startsWith(prefix)) out.set(m[1]!.slice(prefix.length), m[2]!);
  }
  return out;
}

export async function destroySnapshots(
  run: Runner,
  caps: Capabilities,
  dataset: string,
  names: readonly string[],
  batchSize: number,
): Promise<DestroyResult> {
  const result: DestroyResult = { destroyed: [], failed: [] };
  if (!caps.modern) {
    for (const name of names) await destroyOne(run, dataset, name, result);
    return result;
  }
  for (const batch of chunk(names, Math.max(1, batchSize))) await destroyBatch(run, dataset, batch, result);
  return result;
}

async function destroyOne(run: Runner, dataset: string, name: string, result: DestroyResult): Promise<void> {
  try {
    await run('zfs', ['destroy', `${dataset}@${name}`]);
    result.destroyed.push(name);
  } catch (e) {
    result.failed.push({ name, reason: reasonOf(e) });
  }
}

async function destroyBatch(run: Runner, dataset: string, names: string[], result: DestroyResult): Promise<void> {
  if (names.length === 1) return destroyOne(run, dataset, names[0]!, result);
  try {
    await run('zfs', ['destroy', `${dataset}@${names.join(',')}`], { busyRetryMs: 0 });
    result.destroyed.push(...names);
    return;
  } catch (e) {
    if (!(e instanceof ZfsError)) throw e;
    const named = e.kind === 'argument-list-too-long' ? new Map<string, string>() : namedFailures(e.stderr, dataset);
    const culprits = names.filter((n) => named.has(n));
    if (culprits.length > 0) {
      for (const n of culprits) result.failed.push({ name: n, reason: named.get(n)! });
      const rest = names.filter((n) => !named.has(n));
      if (rest.length > 0) await destroyBatch(run, dataset, rest, result);
      return;
    }
    const half = Math.ceil(names.length / 2);
    await destroyBatch(run, dataset, names.slice(0, half), result);
    await destroyBatch(run, dataset, names.slice(half), result);
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof ZfsError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

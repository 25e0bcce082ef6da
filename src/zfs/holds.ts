/**
 * User holds (`zfs hold`, modern OpenZFS): what keeps a snapshot that zbk is reading from being
 * destroyed under it. One command takes many snapshots.
 */
import type { Runner } from './exec.js';

export async function hold(run: Runner, tag: string, snapshots: readonly string[]): Promise<void> {
  if (snapshots.length > 0) await run('zfs', ['hold', tag, ...snapshots]);
}

export async function release(run: Runner, tag: string, snapshots: readonly string[]): Promise<void> {
  if (snapshots.length > 0) await run('zfs', ['release', tag, ...snapshots]);
}

export interface Hold {
  readonly snapshot: string;
  readonly tag: string;
}

/** `zfs holds -H`: `NAME<TAB>TAG<TAB>TIMESTAMP` a line. */
export function parseHolds(text: string): Hold[] {
  const out: Hold[] = [];
  for (const line of text.split('\n')) {
    const [snapshot, tag] = line.split('\t');
    if (snapshot && tag) out.push({ snapshot, tag });
  }
  return out;
}

export async function listHolds(run: Runner, snapshots: readonly string[]): Promise<Hold[]> {
  return snapshots.length === 0 ? [] : parseHolds(await run('zfs', ['holds', '-H', ...snapshots]));
}

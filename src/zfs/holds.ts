/**
 * User holds: a snapshot with a hold cannot be destroyed, by zbk or by hand, until the hold is
 * released. zbk holds a replication base on the source with its own tag per target. Pool v23
 * (zfs-fuse) has `zfs hold` and `zfs release` but cannot list a snapshot's tags (`zfs holds`
 * without -H prints a table whose columns a tag with spaces would shift): there the tags zbk
 * placed are remembered in its state instead.
 */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import type { Capabilities } from './probe.js';

/** A tag zbk places: plain characters, never read as an option. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,254}$/;

function checkTag(tag: string): void {
  if (!TAG.test(tag)) throw new ZfsError('failed', `${JSON.stringify(tag)} is not a hold tag zbk places`);
}

/** Holds each snapshot with `tag`; a snapshot that already has that tag is fine as it is. */
export function hold(run: Runner, tag: string, fullSnapshots: readonly string[]): Promise<void> {
  return eachSnapshot(run, 'hold', tag, fullSnapshots, /tag already exists on this dataset/);
}

/** Releases `tag` from each snapshot; a snapshot without that tag is fine as it is. */
export function release(run: Runner, tag: string, fullSnapshots: readonly string[]): Promise<void> {
  return eachSnapshot(run, 'release', tag, fullSnapshots, /no such tag on this dataset/);
}

/**
 * `zfs VERB TAG SNAPSHOT…` in one command (a view holds every snapshot it reads); should zfs
 * refuse it, one snapshot at a time, where each answer names one: a failure that says `done`
 * (the tag is already there, or already gone) is no failure.
 */
async function eachSnapshot(run: Runner, verb: 'hold' | 'release', tag: string, fullSnapshots: readonly string[], done: RegExp): Promise<void> {
  checkTag(tag);
  if (fullSnapshots.length === 0) return;
  if (fullSnapshots.length > 1) {
    try {
      await run('zfs', [verb, tag, ...fullSnapshots]);
      return;
    } catch (e) {
      if (!(e instanceof ZfsError)) throw e;
    }
  }
  for (const snapshot of fullSnapshots) {
    try {
      await run('zfs', [verb, tag, snapshot]);
    } catch (e) {
      if (!(e instanceof ZfsError && done.test(e.stderr))) throw e;
    }
  }
}

export interface Hold {
  readonly snapshot: string;
  readonly tag: string;
}

/**
 * `zfs holds -H` rows (`NAME<TAB>TAG<TAB>TIMESTAMP`): a tag is whatever the row holds between
 * the first and the last tab, so that a tag with a tab in it does not shift the columns.
 */
export function parseHolds(text: string): Hold[] {
  const out: Hold[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf('\t');
    const last = line.lastIndexOf('\t');
    if (first <= 0 || last <= first) continue;
    out.push({ snapshot: line.slice(0, first), tag: line.slice(first + 1, last) });
  }
  return out;
}

/** The holds on several snapshots in one `zfs holds -H`; null where the dialect cannot list them. */
export async function listHolds(run: Runner, caps: Pick<Capabilities, 'listHolds'>, fullSnapshots: readonly string[]): Promise<Hold[] | null> {
  if (!caps.listHolds) return null;
  return fullSnapshots.length === 0 ? [] : parseHolds(await run('zfs', ['holds', '-H', ...fullSnapshots]));
}

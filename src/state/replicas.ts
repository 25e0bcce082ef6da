/**
 * What zbk remembers of each job's replication to each target:
 * `<state_dir>/replicas/<job>@<target>.json`. The source's prune reads the base from it, so it
 * is read as untrusted data: a file that is not what zbk wrote is an error naming it, never a
 * state without a base (which would let the prune destroy the base of the next send).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../sync/exit-policy.js';
import { checkStateDir } from './dir.js';
import { readStateFile, StateUnreadable } from './read-state.js';
import { writeJson } from './store.js';

export type ReplicationMode = 'full' | 'incremental' | 'resume' | 'up-to-date';

export interface ReplicaCopy {
  /** The snapshot's name after the `@`. */
  readonly name: string;
  readonly guid: string;
  /** ISO 8601: the instant in the snapshot's name. */
  readonly time: string;
}

export interface ReplicaAttempt {
  /** Wall-clock times. */
  readonly start: string;
  readonly end: string;
  readonly outcome: Outcome;
  readonly message: string | null;
  readonly mode: ReplicationMode | null;
  /** Snapshot names received this time. */
  readonly sent: readonly string[];
  /** Bytes through the pipe. */
  readonly bytes: number | null;
}

export interface ReplicaHold {
  readonly snapshot: string;
  readonly tag: string;
}

export interface ReplicaState {
  readonly job: string;
  readonly target: string;
  /** The source dataset. */
  readonly source: string;
  /** `${target.dataset}/${job}` */
  readonly destination: string;
  /** The newest snapshot both sides hold after the last successful replication: the source keeps it. */
  readonly base: ReplicaCopy | null;
  /** Every snapshot zbk knows it delivered to the target (name and guid), pruned as the target prunes. */
  readonly delivered: readonly ReplicaCopy[];
  /** Hold tags zbk placed on source snapshots for this target, so that a later run can release them (pool v23 cannot list tags). */
  readonly holds: readonly ReplicaHold[];
  readonly lastAttempt: ReplicaAttempt | null;
  readonly lastSuccess: ReplicaAttempt | null;
}

const REPLICAS = 'replicas';
const SUFFIX = '.json';

export const replicaStateFile = (stateDir: string, job: string, target: string): string =>
  join(stateDir, REPLICAS, `${job}@${target}${SUFFIX}`);

/** The tag of the hold zbk puts on the source's base for `target`. */
export const holdTag = (target: string): string => `zbk-replica:${target}`;

/** The state of `job` toward `target`; null when it never replicated. Throws StateUnreadable naming the file for anything else. */
export async function readReplicaState(stateDir: string, job: string, target: string): Promise<ReplicaState | null> {
  if (!(await checkStateDir(stateDir))) return null;
  const file = replicaStateFile(stateDir, job, target);
  const state = await readChecked(file);
  if (state && (state.job !== job || state.target !== target)) {
    throw new StateUnreadable(`${file}: holds the state of ${state.job}@${state.target}, not of ${job}@${target}; move it aside to start afresh`);
  }
  return state;
}

/** Written atomically and exclusively (store.ts), in a private `replicas/` under a checked state_dir. */
export async function writeReplicaState(stateDir: string, state: ReplicaState): Promise<void> {
  const wrong = replicaStateProblem(state);
  if (wrong) throw new Error(`internal error: a replica state for ${state.job}@${state.target} is not valid (${wrong}); nothing written`);
  await checkStateDir(stateDir, { create: true });
  await writeJson(replicaStateFile(stateDir, state.job, state.target), state);
}

/**
 * Every replica state in state_dir, also of jobs and targets no longer configured (their holds
 * are still to be released), sorted by file name. A file there that is not a state zbk wrote
 * is an error naming it: skipping it would hide a base or a hold.
 */
export async function listReplicaStates(stateDir: string): Promise<ReplicaState[]> {
  if (!(await checkStateDir(stateDir))) return [];
  const dir = join(stateDir, REPLICAS);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StateUnreadable(`${dir}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const states: ReplicaState[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') && name.endsWith('.tmp')) continue; // a write in progress, or one killed (store.ts)
    const file = join(dir, name);
    if (!name.endsWith(SUFFIX)) throw new StateUnreadable(`${file}: not a replica state file (<job>@<target>.json); move it out of ${dir}`);
    const state = await readChecked(file);
    if (state === null) continue; // removed since the listing
    if (name !== `${state.job}@${state.target}${SUFFIX}`) {
      throw new StateUnreadable(`${file}: holds the state of ${state.job}@${state.target}, not what its name says; move it aside`);
    }
    states.push(state);
  }
  return states;
}

function readChecked(file: string): Promise<ReplicaState | null> {
  return readStateFile<ReplicaState>(file, 'replica state', replicaStateProblem);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const instant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const MODES: readonly unknown[] = ['full', 'incremental', 'resume', 'up-to-date'];
const OUTCOMES: readonly unknown[] = ['ok', 'warning', 'failed'];
/** Names as zbk makes them: job and target names, datasets, snapshot names and hold tags; never an option or a control character. */
const WORD = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$/;
const word = (v: unknown): v is string => typeof v === 'string' && v.length <= 1024 && WORD.test(v);

function copyProblem(v: unknown): string | null {
  if (!isObject(v)) return 'not an object';
  if (!word(v.name)) return 'no snapshot name';
  if (typeof v.guid !== 'string' || !/^\d{1,20}$/.test(v.guid)) return `no guid for ${v.name}`;
  if (!instant(v.time)) return `no time for ${v.name}`;
  return null;
}

function attemptProblem(a: unknown): string | null {
  if (!isObject(a)) return 'not an object';
  if (!instant(a.start) || !instant(a.end)) return 'no start or end instant';
  if (!OUTCOMES.includes(a.outcome)) return 'no outcome';
  if (a.message !== null && typeof a.message !== 'string') return 'a wrong message';
  if (a.mode !== null && !MODES.includes(a.mode)) return 'a wrong mode';
  if (!Array.isArray(a.sent) || !a.sent.every(word)) return 'a wrong list of sent snapshots';
  if (a.bytes !== null && !(typeof a.bytes === 'number' && Number.isSafeInteger(a.bytes) && a.bytes >= 0)) return 'a wrong byte count';
  return null;
}

/** What is wrong with the shape of a replica state, or null. */
export function replicaStateProblem(data: unknown): string | null {
  if (!isObject(data)) return 'not an object';
  for (const key of ['job', 'target', 'source', 'destination'] as const) if (!word(data[key])) return `${key} missing or not a name`;
  if (data.base !== null) {
    const wrong = copyProblem(data.base);
    if (wrong) return `base: ${wrong}`;
  }
  if (!Array.isArray(data.delivered)) return 'delivered is not a list';
  for (const copy of data.delivered) {
    const wrong = copyProblem(copy);
    if (wrong) return `delivered: ${wrong}`;
  }
  if (!Array.isArray(data.holds) || !data.holds.every((h) => isObject(h) && word(h.snapshot) && word(h.tag))) return 'holds is not a list of snapshot and tag';
  for (const key of ['lastAttempt', 'lastSuccess'] as const) {
    if (data[key] === null) continue;
    const wrong = attemptProblem(data[key]);
    if (wrong) return `${key}: ${wrong}`;
  }
  return null;
}

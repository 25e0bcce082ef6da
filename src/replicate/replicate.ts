/**
 * One job's replication to one target, end to end: under the target's lock, list both sides
 * (name and guid), plan (plan.ts), send what is new as one pipe a step (pipe.ts), make the copy
 * inert, move the source's hold to the new base, write the state, prune the target's copies.
 *
 * The order keeps both sides consistent whatever is killed when: the receive is atomic (ZFS);
 * a hold is in the state before it is placed (holds.ts); the state's base moves only once the
 * target holds it; the target is pruned only after that, never of the base or its newest copy.
 * A run killed anywhere leaves the target at its last complete snapshot, and the next run plans
 * from what both sides hold then.
 */
import type { Config, Job, Target } from '../config/types.js';
import { isoSeconds } from '../time/iso.js';
import { acquireLock, type Lock } from '../jobs/lock.js';
import { parseSnapshotName } from '../retention/naming.js';
import type { Plan } from '../retention/plan.js';
import { readReplicaState, writeReplicaState, type ReplicaAttempt, type ReplicaCopy, type ReplicaState, type ReplicationMode } from '../state/replicas.js';
import type { Outcome } from '../sync/exit-policy.js';
import { StateUnreadable } from '../state/read-state.js';
import { durationMs } from '../util/duration.js';
import { classifyStderr, ZfsError } from '../zfs/errors.js';
import type { GuidSnapshot } from '../zfs/guids.js';
import { receiveArgs } from '../zfs/receive.js';
import { sendArgs, type SendSpec } from '../zfs/send.js';
import { Zfs } from '../zfs/zfs.js';
import { isBookmarkName } from '../zfs/bookmarks.js';
import { placeHold, releaseHolds, type HoldContext } from './holds.js';
import { DD_ARGS, PipeError, runPipe } from './pipe.js';
import { planReplication, type ReplicationPlan } from './plan.js';
import { planTargetPrune } from './target-prune.js';
import { sshControlPath, transportFor, type Transport } from './transport.js';

export interface ReplicateOptions {
  readonly config: Config;
  readonly job: Job;
  readonly target: Target;
  /** The source's (this machine's) zfs. */
  readonly zfs: Zfs;
  /** Anchors the target's retention (`--now`). */
  readonly now: Date;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly signal?: AbortSignal;
  /** Bytes through the pipe so far (a running total over the run's streams), and the estimate of the current stream's end (`zfs send -nP`, asked only for it), where known. */
  readonly onProgress?: (bytes: number, estimate: number | null) => void;
  /** How the target is reached (default: from the config). */
  readonly transport?: Transport;
  /** The run's targets, shared by its jobs (default: this replication opens and closes its own). */
  readonly sessions?: TargetSessions;
}

export interface ReplicationReport {
  readonly job: string;
  readonly target: string;
  readonly source: string;
  readonly destination: string;
  readonly outcome: Outcome;
  /** null when the target was away or nothing could be planned. */
  readonly mode: ReplicationMode | 'refused' | null;
  readonly base: string | null;
  /** The source's bookmark the stream starts from, where the source lost the base snapshot; else null. */
  readonly bookmark: string | null;
  /** Planned (dry run) or received snapshots, oldest first. */
  readonly send: readonly string[];
  /** The target's copies to prune (dry run) or pruned. */
  readonly prune: readonly string[];
  /** The target's prune plan, for the dry run's reasons; null when there is none. */
  readonly prunePlan: Plan | null;
  readonly bytes: number | null;
  readonly durationMs: number;
  /** Why it failed or warned, and what else went wrong. */
  readonly messages: readonly string[];
}

const KILL_GRACE_MS = 10_000;

export async function replicate(o: ReplicateOptions): Promise<ReplicationReport> {
  if (o.dryRun) return withTarget(o, (transport, target) => plan(o, transport, target, Date.now()));
  const lock = await acquireLock(o.config.stateDir, `replicate@${o.target.name}`, 'replicate');
  try {
    return await withTarget(o, (transport, target) => perform(o, transport, target, lock));
  } finally {
    await lock.release();
  }
}

/** A target as one run reaches it: its transport (one ssh connection) and its Zfs (probed once). */
interface TargetSession {
  readonly transport: Transport;
  readonly zfs: Zfs;
}

async function openTarget(config: Config, target: Target, given?: Transport): Promise<TargetSession> {
  const control = given || target.host === null ? null : await sshControlPath(config.stateDir, target);
  const transport = given ?? transportFor(target, config.tools, control);
  return { transport, zfs: new Zfs(transport.run, { probeUnder: target.dataset }) };
}

/**
 * The targets of one run (`zbk replicate`, the daemon's pairs): every job sent to a target goes
 * through the same connection and the same probed Zfs; close() stops them all at the end.
 */
export class TargetSessions {
  private readonly open = new Map<string, Promise<TargetSession>>();

  constructor(private readonly config: Config) {}

  get(target: Target): Promise<TargetSession> {
    let session = this.open.get(target.name);
    if (!session) this.open.set(target.name, (session = openTarget(this.config, target)));
    return session;
  }

  async close(): Promise<void> {
    const sessions = [...this.open.values()];
    this.open.clear();
    // A target that could not be opened has nothing to close; its pairs said why.
    for (const session of sessions) await (await session.catch(() => null))?.transport.close();
  }
}

/** Runs `f` with the target's session: the run's own (closed by the run), else one of its own, closed after it. */
async function withTarget<T>(o: ReplicateOptions, f: (transport: Transport, target: Zfs) => Promise<T>): Promise<T> {
  if (o.sessions) {
    const { transport, zfs } = await o.sessions.get(o.target);
    return f(transport, zfs);
  }
  const { transport, zfs } = await openTarget(o.config, o.target, o.transport);
  try {
    return await f(transport, zfs);
  } finally {
    await transport.close();
  }
}

/** What both sides hold, and the plan from there. */
interface Sides {
  readonly source: GuidSnapshot[];
  /** null: the target has no copy of the dataset. */
  readonly copies: GuidSnapshot[] | null;
  readonly plan: ReplicationPlan;
}

const destinationOf = (o: ReplicateOptions) => `${o.target.dataset}/${o.job.name}`;

/** Both sides listed side by side (each side's commands are its own, in their order). */
async function look(o: ReplicateOptions, target: Zfs): Promise<Sides> {
  const destination = destinationOf(o);
  const [source, [copies, token]] = await Promise.all([
    sourceSnapshots(o),
    target.snapshotGuids(destination).then(async (c) => [c, c !== null ? await target.resumeToken(destination) : null] as const),
  ]);
  const options = { prefix: o.config.prefix, force: o.force, resumeToken: token };
  const plan = planReplication(source, copies, options);
  // Refused for want of a common snapshot, or for copies the source lost: the source's bookmarks
  // (where it has them) may hold the base, its snapshot destroyed by hand.
  if (plan.mode !== 'refused' || copies === null || copies.length === 0 || !(await o.zfs.has('bookmarks'))) return { source, copies, plan };
  const bookmarks = (await o.zfs.bookmarks(o.job.dataset)).filter((b) => isBookmarkName(b.name));
  return { source, copies, plan: planReplication(source, copies, { ...options, bookmarks }) };
}

/** The job's snapshots with their guids and holds' counts; its dataset gone is an error. */
async function sourceSnapshots(o: ReplicateOptions): Promise<GuidSnapshot[]> {
  const source = await o.zfs.snapshotGuids(o.job.dataset);
  if (source === null) throw new ZfsError('no-such-dataset', `${o.job.dataset}: no such dataset (zbk init creates it)`);
  return source;
}

function report(o: ReplicateOptions, started: number, r: Partial<ReplicationReport> & Pick<ReplicationReport, 'outcome'>): ReplicationReport {
  return {
    job: o.job.name, target: o.target.name, source: o.job.dataset, destination: destinationOf(o),
    mode: null, base: null, bookmark: null, send: [], prune: [], prunePlan: null, bytes: null, messages: [],
    ...r, durationMs: Date.now() - started,
  };
}

/** A dry run: the plan, and the target's prune as it would be after the send. Changes nothing. */
async function plan(o: ReplicateOptions, transport: Transport, target: Zfs, started: number): Promise<ReplicationReport> {
  try {
    const sides = await look(o, target);
    if (sides.copies === null && !(await target.exists(o.target.dataset)) && o.target.host === null && !(await target.exists(poolOf(o.target.dataset)))) {
      return report(o, started, { outcome: 'warning', messages: [`target ${o.target.name}: pool ${poolOf(o.target.dataset)} is not imported`] });
    }
    const p = sides.plan;
    if (p.mode === 'refused') return report(o, started, { outcome: 'failed', mode: 'refused', base: p.base, messages: [refusal(o, p)] });
    const send: readonly string[] = p.send;
    const after = [...(sides.copies ?? []).filter((c) => !p.forceDestroys.includes(c.name)), ...sides.source.filter((s) => send.includes(s.name))];
    const state = await readReplicaState(o.config.stateDir, o.job.name, o.target.name);
    const prunePlan = targetPrunePlan(o, after, state, sides.source);
    return report(o, started, {
      outcome: 'ok', mode: p.mode, base: p.base, bookmark: bookmarkOf(p), send: p.send, prunePlan,
      prune: prunePlan ? prunePlan.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name) : [],
    });
  } catch (e) {
    return failure(o, transport, started, e);
  }
}

/** The bookmark an incremental starts from (the source lost its base snapshot), else null. */
const bookmarkOf = (p: ReplicationPlan): string | null => (p.mode === 'incremental' ? (p.bookmark ?? null) : null);

/** The report of a run that could not go on: a warning when the target is away, else a failure. */
function failure(o: ReplicateOptions, transport: Transport, started: number, e: unknown, partial: Partial<ReplicationReport> = {}): ReplicationReport {
  const away = transport.away(e);
  if (away !== null) return report(o, started, { ...partial, outcome: 'warning', messages: [away] });
  if (!(e instanceof ZfsError || e instanceof PipeError || e instanceof StateUnreadable)) throw e;
  return report(o, started, { ...partial, outcome: 'failed', messages: [e.message] });
}

const poolOf = (dataset: string) => dataset.split('/')[0]!;

/** The planner's reason names what differs and what --force would destroy. */
function refusal(o: ReplicateOptions, p: Extract<ReplicationPlan, { mode: 'refused' }>): string {
  return `${destinationOf(o)}: ${p.reason}; nothing sent`;
}

/** The target's prune, by the target's policy (else the job's), over its copies after the send. */
function targetPrunePlan(o: ReplicateOptions, copies: readonly GuidSnapshot[], state: ReplicaState | null, source: readonly GuidSnapshot[]): Plan | null {
  const base = newestCommon(source, copies);
  if (base === null) return null;
  const delivered = new Set([...(state?.delivered ?? []).map((c) => c.guid), ...source.map((s) => s.guid)]);
  return planTargetPrune(copies, delivered, o.target.retention ?? o.job.retention, {
    now: o.now, timeZone: o.config.timeZone, prefix: o.config.prefix, base: base.name,
  });
}

/** The newest source snapshot that the target holds with the same guid. */
function newestCommon(source: readonly GuidSnapshot[], copies: readonly GuidSnapshot[] | null): GuidSnapshot | null {
  const there = new Set((copies ?? []).map((c) => `${c.name}\0${c.guid}`));
  for (let i = source.length - 1; i >= 0; i--) if (there.has(`${source[i]!.name}\0${source[i]!.guid}`)) return source[i]!;
  return null;
}

function copyOf(o: ReplicateOptions, s: GuidSnapshot): ReplicaCopy {
  const at = parseSnapshotName(o.config.prefix, s.name) ?? new Date(s.creation * 1000);
  return { name: s.name, guid: s.guid, time: isoSeconds(at) };
}

function emptyState(o: ReplicateOptions): ReplicaState {
  return {
    job: o.job.name, target: o.target.name, source: o.job.dataset, destination: destinationOf(o),
    base: null, delivered: [], holds: [], lastAttempt: null, lastSuccess: null,
  };
}

async function perform(o: ReplicateOptions, transport: Transport, target: Zfs, lock: Lock): Promise<ReplicationReport> {
  const started = Date.now();
  const start = new Date(started).toISOString();
  let state = (await readReplicaState(o.config.stateDir, o.job.name, o.target.name)) ?? emptyState(o);
  const attempt = (r: ReplicationReport): ReplicaAttempt => ({
    start, end: new Date().toISOString(), outcome: r.outcome, message: r.messages[0] ?? null,
    mode: r.mode === 'refused' ? null : r.mode, sent: [...r.send], bytes: r.bytes,
  });
  const finish = async (done: ReplicationReport): Promise<ReplicationReport> => {
    // What taking over a dead run's lock did (stopped its send and receive) is a warning, as in `zbk run`.
    const r = lock.warnings.length === 0 ? done : { ...done, outcome: done.outcome === 'ok' ? 'warning' : done.outcome, messages: [...done.messages, ...lock.warnings] };
    const a = attempt(r);
    await writeReplicaState(o.config.stateDir, { ...state, lastAttempt: a, lastSuccess: r.outcome === 'failed' || r.mode === null ? state.lastSuccess : a });
    return r;
  };
  const holds: HoldContext = { zfs: o.zfs, stateDir: o.config.stateDir, dataset: o.job.dataset };
  const sent: string[] = [];
  let bytes = 0;
  let mode: ReplicationMode | 'refused' | null = null;
  let base: string | null = null;
  try {
    let sides = await look(o, target);
    if (sides.copies === null) await target.createParent(o.target.dataset);
    if (sides.plan.mode === 'resume') {
      mode = 'resume';
      base = sides.plan.base;
      bytes += await resume(o, transport, target, sides.plan.token, lock);
      sides = await look(o, target); // what the resumed stream delivered, and what is still to send
    }
    const p = sides.plan;
    if (p.mode === 'refused') return await finish(report(o, started, { outcome: 'failed', mode: 'refused', base: p.base, messages: [refusal(o, p)] }));
    if (p.mode === 'resume') throw new ZfsError('failed', `${destinationOf(o)}: still an interrupted receive after resuming it`);
    mode ??= p.mode;
    base ??= p.base;
    if (p.forceDestroys.length > 0) await destroyForced(o, target, p.forceDestroys);
    const newest = p.send.at(-1) ?? p.base;
    // Held on the source: the newest snapshot the target will have, where the source has it (a
    // base kept only as a bookmark has nothing to hold).
    if (newest && sides.source.some((s) => s.name === newest)) state = await placeHold(holds, state, newest);
    if (p.send.length > 0) {
      // A full send starts with the oldest snapshot whole, one from a bookmark with the first
      // snapshot after it (-i); then -I from that one to the newest.
      const mark = bookmarkOf(p) ?? undefined;
      const first = p.mode === 'full' || mark !== undefined ? p.send[0]! : null;
      if (first !== null) {
        bytes += await stream(o, transport, target, { dataset: o.job.dataset, from: null, to: first, ...(mark !== undefined ? { fromBookmark: mark } : {}) }, lock, bytes);
        sent.push(first);
        // Before the next stream: never writable, never mounted in between.
        if (p.mode === 'full') await target.setInert(destinationOf(o));
      }
      const from = first ?? p.base;
      if (newest !== from) {
        bytes += await stream(o, transport, target, { dataset: o.job.dataset, from, to: newest! }, lock, bytes);
        sent.push(...p.send.filter((n) => n !== first));
      }
    }
    // The target's copies, made inert before anything else (also after a run killed between its
    // receive and this one), the source's snapshots for its holds, and whether the source has
    // bookmarks: side by side, as none changes another.
    const [received, listed] = await Promise.all([target.copiesMadeInert(destinationOf(o)), sourceSnapshots(o), o.zfs.has('bookmarks')]);
    const copies = received ?? [];
    const now = newestCommon(sides.source, copies);
    const delivered = new Map(state.delivered.map((c) => [c.guid, c]));
    for (const s of sides.source) if (copies.some((c) => c.guid === s.guid)) delivered.set(s.guid, copyOf(o, s));
    const previous = state.base?.name ?? null;
    state = { ...state, base: now ? copyOf(o, now) : state.base, delivered: [...delivered.values()].filter((c) => copies.some((x) => x.guid === c.guid)) };
    await writeReplicaState(o.config.stateDir, state);
    state = await releaseHolds(holds, state, now?.name ?? null, listed);
    if (now) await moveBookmark(o, previous, now.name);
    const pruned = await pruneTarget(o, target, copies, state, sides.source);
    state = { ...state, delivered: state.delivered.filter((c) => !pruned.destroyed.includes(c.name)) };
    return await finish(report(o, started, {
      outcome: pruned.failed.length ? 'warning' : 'ok', mode, base, bookmark: bookmarkOf(p), send: sent, prune: pruned.destroyed, prunePlan: pruned.plan, bytes,
      messages: pruned.failed.map((f) => `could not destroy ${destinationOf(o)}@${f.name}: ${f.reason}`),
    }));
  } catch (e) {
    return finish(failure(o, transport, started, e, { mode, base, send: sent, bytes }));
  }
}

/** One `zfs send | zfs receive`: its bytes. The receive is unmounted where the dialect can, forced (rolled back) only under --force. */
async function stream(o: ReplicateOptions, transport: Transport, target: Zfs, spec: SendSpec, lock: Lock, before = 0): Promise<number> {
  // No estimate from a bookmark: older zfs refuses -n and -v there.
  const size = o.onProgress && spec.fromBookmark === undefined ? await o.zfs.estimateSend(spec) : null;
  const estimate = size === null ? null : before + size;
  const resumable = await target.has('resumable'); // first: a zfs with resume tokens has -u, unasked
  const caps = { receiveUnmounted: await target.has('receiveUnmounted'), resumable };
  const timeoutMs = durationMs(o.target.timeout);
  try {
    const r = await runPipe(
      { file: o.config.tools.zfs, args: sendArgs(spec) },
      transport.command(receiveArgs(destinationOf(o), caps, { force: o.force })),
      {
        timeoutMs, killGraceMs: KILL_GRACE_MS, tracker: lock, ...(o.signal ? { signal: o.signal } : {}),
        // A progress line reads the stream as it passes; without one, it is handed over and dd counts it.
        ...(o.onProgress ? { onBytes: (n: number) => o.onProgress!(before + n, estimate) } : { countWith: { file: 'dd', args: DD_ARGS } }),
      },
    );
    return r.bytes;
  } catch (e) {
    if (e instanceof PipeError && e.side === 'receive' && classifyStderr(e.stderr) === 'destination-modified') {
      throw new ZfsError('failed', `${destinationOf(o)} was changed on the target since its newest snapshot (a file written there); nothing received (--force rolls it back to that snapshot, destroying those changes)`);
    }
    throw e;
  }
}

/**
 * Continues an interrupted receive from its token. When the source can no longer send it (the
 * snapshot it was sending is gone), the partial receive is dropped (`zfs receive -A`): it would
 * block every other receive, and the next run sends again from the base.
 */
async function resume(o: ReplicateOptions, transport: Transport, target: Zfs, token: string, lock: Lock): Promise<number> {
  try {
    return await stream(o, transport, target, { dataset: o.job.dataset, from: null, to: '', resumeToken: token }, lock);
  } catch (e) {
    if (!(e instanceof PipeError && e.side === 'send')) throw e;
    await target.abortResume(destinationOf(o));
    throw new ZfsError('failed', `${e.message}; could not resume the interrupted receive, dropped it (zfs receive -A ${destinationOf(o)}): the next run sends again from the base`);
  }
}

/** Under --force: the target's snapshots after the base (or all, with none in common) go before the receive. */
async function destroyForced(o: ReplicateOptions, target: Zfs, names: readonly string[]): Promise<void> {
  const r = await target.destroySnapshots(destinationOf(o), names, o.config.destroyBatch);
  const [first] = r.failed;
  if (first) throw new ZfsError('failed', `--force: could not destroy ${destinationOf(o)}@${first.name}: ${first.reason}; nothing received`);
}

/** The bookmark of a target's base on the source: `ds#zbk-replica_<target>_<snapshot>`, where the dialect has bookmarks. */
export const bookmarkName = (target: string, snapshot: string) => `zbk-replica_${target}_${snapshot}`;

/** Bookmarks the new base, then drops the old base's bookmark (the new one first: never none). */
async function moveBookmark(o: ReplicateOptions, previous: string | null, base: string): Promise<void> {
  if (!(await o.zfs.has('bookmarks'))) return;
  try {
    await o.zfs.bookmark(`${o.job.dataset}@${base}`, bookmarkName(o.target.name, base));
  } catch (e) {
    if (!(e instanceof ZfsError && e.kind === 'exists')) throw e;
  }
  if (previous === null || previous === base) return;
  try {
    await o.zfs.destroyBookmark(o.job.dataset, bookmarkName(o.target.name, previous));
  } catch (e) {
    if (!(e instanceof ZfsError && e.kind === 'no-such-dataset')) throw e;
  }
}

async function pruneTarget(o: ReplicateOptions, target: Zfs, copies: readonly GuidSnapshot[], state: ReplicaState, source: readonly GuidSnapshot[]) {
  const p = targetPrunePlan(o, copies, state, source);
  if (p === null) return { plan: null, destroyed: [] as string[], failed: [] as { name: string; reason: string }[] };
  const doomed = p.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name);
  if (doomed.length === 0) return { plan: p, destroyed: [], failed: [] };
  const r = await target.destroySnapshots(destinationOf(o), doomed, o.config.destroyBatch);
  return { plan: p, destroyed: r.destroyed, failed: r.failed };
}

import { calendarIn, PERIODS, type Calendar } from './calendar.js';
import { parseSnapshotName } from './naming.js';
import { validatePolicy, type Policy } from './policy.js';
import type { KeepRule } from './rules/keep-rule.js';
import { keepLast } from './rules/keep-last.js';
import { keepWithin } from './rules/keep-within.js';
import { keepPeriods } from './rules/keep-period.js';

/** A snapshot of one dataset as zfs lists it: the name after `@`, and whether a user hold is on it. */
export interface SnapshotInput {
  readonly name: string;
  readonly held?: boolean;
}

export interface PlanOptions {
  /** Snapshots after this are kept whatever the policy says; the rules see only the others. */
  readonly now: Date;
  /** The IANA zone whose calendar the hourly ... yearly periods follow. */
  readonly timeZone: string;
  /** The snapshot prefix: names that do not parse with it are foreign. */
  readonly prefix: string;
  /**
   * Snapshots kept whatever the policy says, with their reasons (name → e.g. ["replica base:
   * offsite"]): the base of a target's next incremental send. A name not listed is not pinned.
   */
  readonly pinned?: ReadonlyMap<string, readonly string[]>;
}

export interface PlannedSnapshot {
  readonly name: string;
  readonly time: Date;
  readonly action: 'keep' | 'destroy';
  /** Why it is kept, e.g. ["newest", "daily 1/15"]; empty when it is destroyed. */
  readonly reasons: readonly string[];
}

export interface Plan {
  /** zbk's snapshots, newest first. */
  readonly snapshots: readonly PlannedSnapshot[];
  /** Names zbk did not make, in the order given: never touched. */
  readonly foreign: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

interface Dated {
  readonly name: string;
  readonly time: Date;
  /** time.getTime(), at hand for sorting */
  readonly at: number;
  readonly held: boolean;
}

/**
 * What to keep and what to destroy among one dataset's snapshots, and why. Names must be
 * unique (ZFS sees to it). Throws a RangeError for a policy validatePolicy finds fault with,
 * and for a time zone Intl does not know.
 *
 * Always kept, whatever the policy: the newest snapshot, held snapshots, pinned ones (a
 * target's replication base) and snapshots after `now` (a clock gone backwards must not cost
 * history). The rules see the snapshots up to
 * `now` and nothing else, so `--now` anchors retention where a simulation puts it.
 *
 * Planning the survivors again keeps all of them, with the same reasons: each rule keeps the
 * same snapshots of any subset that holds the ones it kept — keep_last the newest N, which
 * are still the newest N; keep_within those near the newest, which is still the newest (the
 * rule keeps it); a period rule the newest of the N latest periods with a snapshot, which are
 * still the latest N such periods and still have the same newest snapshot.
 */
export function plan(snapshots: readonly SnapshotInput[], policy: Policy, options: PlanOptions): Plan {
  const problems = validatePolicy(policy);
  if (problems.length > 0) throw new RangeError(`invalid retention policy: ${problems.join('; ')}`);
  const rules = rulesFor(policy, calendarIn(options.timeZone));

  const { ours, foreign } = sortOut(snapshots, options.prefix);
  const reasons: (string[] | undefined)[] = new Array(ours.length);
  const keep = (index: number, reason: string) => (reasons[index] ??= []).push(reason);

  const now = options.now.getTime();
  const future = countWhile(ours, ({ at }) => at > now); // newest first: the future ones lead
  ours.forEach(({ name, held }, index) => {
    if (index === 0) keep(index, 'newest');
    if (held) keep(index, 'held');
    if (index < future) keep(index, 'in the future');
    for (const reason of options.pinned?.get(name) ?? NONE) keep(index, reason);
  });
  const upToNow = ours.slice(future).map(({ time }) => time);
  for (const rule of rules) {
    for (const [index, reason] of rule(upToNow)) keep(future + index, reason);
  }

  return {
    snapshots: ours.map(({ name, time }, index) => {
      const why = reasons[index];
      return why ? { name, time, action: 'keep', reasons: why } : { name, time, action: 'destroy', reasons: NONE };
    }),
    foreign,
  };
}

/** The newest snapshot when it is after `now`: the clock has likely gone backwards. */
export function newestAfterNow(plan: Plan, now: Date): PlannedSnapshot | undefined {
  const newest = plan.snapshots[0];
  return newest && newest.time.getTime() > now.getTime() ? newest : undefined;
}

function rulesFor(policy: Policy, calendar: Calendar): KeepRule[] {
  const rules: KeepRule[] = [];
  if (policy.keep_last) rules.push(keepLast(policy.keep_last));
  if (policy.keep_within) rules.push(keepWithin(policy.keep_within));
  for (const period of PERIODS) {
    const count = policy[period];
    if (count) rules.push(keepPeriods(period, count, calendar));
  }
  return rules;
}

/** zbk's snapshots with their instants, newest first, and the foreign names. */
function sortOut(snapshots: readonly SnapshotInput[], prefix: string): { ours: Dated[]; foreign: string[] } {
  const ours: Dated[] = [];
  const foreign: string[] = [];
  for (const { name, held = false } of snapshots) {
    const time = parseSnapshotName(prefix, name);
    if (time) ours.push({ name, time, at: time.getTime(), held });
    else foreign.push(name);
  }
  ours.sort((a, b) => b.at - a.at);
  return { ours, foreign };
}

function countWhile<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let count = 0;
  while (count < items.length && predicate(items[count]!)) count++;
  return count;
}

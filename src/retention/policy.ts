import { durationMs, isComputable, type Duration } from '../util/duration.js';
import { PERIODS } from './calendar.js';

/**
 * A retention policy, restic's and borg's semantics: a snapshot survives if any rule keeps it.
 * The keys are the config's (`[retention.NAME]`).
 */
export interface Policy {
  /** The newest N snapshots. */
  readonly keep_last?: number;
  /** Every snapshot within this of the newest snapshot (not of now). */
  readonly keep_within?: Duration;
  /** The newest snapshot of each of the last N hours, days, ... that have a snapshot. */
  readonly hourly?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
  readonly yearly?: number;
}

/** The built-in `[retention.default]`. */
export const DEFAULT_POLICY: Policy = Object.freeze({ daily: 15, weekly: 8, monthly: 12, yearly: 3 });

export const COUNTS = ['keep_last', ...PERIODS] as const;

/** Every key of a policy, in the order zbk.toml(5) gives them: the config reads exactly these. */
export const POLICY_KEYS: readonly (keyof Policy)[] = ['keep_last', 'keep_within', ...PERIODS];

/**
 * The largest count: more hours than 11 years hold, more snapshots than any pool is pruned
 * of. A bigger number is a typo, not a policy.
 */
export const MAX_COUNT = 100_000;

/** What is wrong with a policy (an empty list when it is fine); each problem names its key. */
export function validatePolicy(policy: Policy): string[] {
  const problems: string[] = [];
  for (const key of COUNTS) {
    const count = policy[key];
    if (count !== undefined && !(Number.isInteger(count) && count >= 0 && count <= MAX_COUNT)) {
      problems.push(`${key} must be a whole number from 0 to ${MAX_COUNT}, not ${count}`);
    }
  }
  const within = policy.keep_within;
  if (within !== undefined && !isComputable(within)) {
    problems.push(`keep_within ${within.text} cannot be computed (whole amounts up to 1000y)`);
  }
  if (problems.length === 0 && keepsNothing(policy)) {
    problems.push(`the policy keeps nothing: set keep_last, keep_within or one of ${PERIODS.join(', ')} above 0`);
  }
  return problems;
}

function keepsNothing(policy: Policy): boolean {
  const within = policy.keep_within;
  return (within === undefined || durationMs(within) === 0) && COUNTS.every((key) => !policy[key]);
}

/** A policy that keeps by age alone: a snapshot named in the future makes it keep nothing older. */
export function keepsByAgeOnly(policy: Policy): boolean {
  return policy.keep_within !== undefined && COUNTS.every((key) => !policy[key]);
}

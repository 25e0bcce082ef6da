import type { Calendar, Period } from '../calendar.js';
import type { KeepRule } from './keep-rule.js';

/**
 * Keeps the newest snapshot of each of the last `count` calendar periods that have a snapshot
 * (`daily 1/15`, `daily 2/15`, ...): a week with the box switched off does not use up a week.
 * Periods are counted once however their snapshots interleave with others'.
 */
export function keepPeriods(period: Period, count: number, calendar: Calendar): KeepRule {
  return (newestFirst) => {
    const kept = new Map<number, string>();
    const seen = new Set<number>();
    for (let i = 0; i < newestFirst.length && seen.size < count; i++) {
      const key = calendar.periodKey(period, newestFirst[i]!.getTime());
      if (seen.has(key)) continue;
      seen.add(key);
      kept.set(i, `${period} ${seen.size}/${count}`);
    }
    return kept;
  };
}

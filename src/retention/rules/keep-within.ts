import { subtractDuration, type Duration } from '../../util/duration.js';
import type { KeepRule } from './keep-rule.js';

/**
 * Keeps every snapshot at most `within` older than the NEWEST snapshot (`within 2d`), not than
 * now: a box that was switched off for a month does not prune everything on its return.
 * A cutoff that cannot be computed (beyond what a Date holds, or a duration that is not a
 * number) keeps everything: a rule that cannot reason about a snapshot never gives it up.
 */
export function keepWithin(within: Duration): KeepRule {
  return (newestFirst) => {
    const kept = new Map<number, string>();
    const newest = newestFirst[0];
    if (!newest) return kept;
    const oldest = subtractDuration(newest, within).getTime();
    const keeps = Number.isFinite(oldest) ? (at: number) => at >= oldest : () => true;
    for (let i = 0; i < newestFirst.length && keeps(newestFirst[i]!.getTime()); i++) {
      kept.set(i, `within ${within.text}`);
    }
    return kept;
  };
}

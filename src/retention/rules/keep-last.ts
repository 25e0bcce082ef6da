import type { KeepRule } from './keep-rule.js';

/** Keeps the newest `count` snapshots: `last 1/3`, `last 2/3`, ... */
export function keepLast(count: number): KeepRule {
  return (newestFirst) => {
    const kept = new Map<number, string>();
    for (let i = 0; i < Math.min(count, newestFirst.length); i++) kept.set(i, `last ${i + 1}/${count}`);
    return kept;
  };
}

/** The noun for a count: `plural(1, 'job')` is `job`, 0 and 2 are `jobs`; irregular plurals are given. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** A count with its noun: `1 job`, `2 jobs`, never `1 jobs`. */
export const counted = (n: number, one: string, many?: string): string => `${n} ${plural(n, one, many)}`;

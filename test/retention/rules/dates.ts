/** Instants for the rule tests, newest first as rules take them. */
export function newestFirst(...iso: string[]): Date[] {
  return iso.map((text) => new Date(text)).sort((a, b) => b.getTime() - a.getTime());
}

/** What a rule kept, as ISO instants mapped to reasons, newest first. */
export function keptOf(times: readonly Date[], kept: ReadonlyMap<number, string>): [string, string][] {
  return [...kept].sort(([a], [b]) => a - b).map(([index, reason]) => [times[index]!.toISOString(), reason]);
}

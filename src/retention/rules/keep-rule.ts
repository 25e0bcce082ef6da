/**
 * A retention rule, after zrepl's pruning.KeepRule: given zbk's snapshot instants newest first,
 * the ones it keeps, by index, each with the reason shown to the user ("daily 3/15").
 * A snapshot survives if any rule keeps it.
 */
export type KeepRule = (newestFirst: readonly Date[]) => ReadonlyMap<number, string>;

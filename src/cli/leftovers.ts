/**
 * What yargs parsed but no command consumes. yargs' strict mode refuses unknown options and
 * surplus positionals, but not what follows `--`: that lands in `_` and would be ignored, so
 * `zbk prune -- --dry-run` ran a real prune. Anything left over is a usage error, and so is a
 * single-valued option given twice (`--now A --now B`, `--config a --config b`): zbk will not
 * guess which one was meant.
 */
export function leftoverProblem(command: string, args: Readonly<Record<string, unknown>>, arrays: ReadonlySet<string>): string | null {
  const rest = (Array.isArray(args._) ? args._ : []).slice(1).map(String);
  const afterDashes = Array.isArray(args['--']) ? args['--'].map(String) : [];
  const extra = [...rest, ...afterDashes];
  if (extra.length > 0) {
    return `${command}: ${extra.map((a) => JSON.stringify(a)).join(' ')} after --: zbk takes nothing after -- (write options and names before it)`;
  }
  for (const [key, value] of Object.entries(args)) {
    if (key === '_' || key === '--' || key === '$0' || key.includes('-') || arrays.has(key)) continue;
    if (Array.isArray(value)) return `${command}: --${kebab(key)} given ${value.length} times; give it once`;
  }
  return null;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Where a key stands in the TOML text, so that errors name the line. TOML parsers give
 * values, not positions; this walks the lines, follows table headers (`[zbk]`, `[[job]]`
 * counted from 0) and records the first line of every `key =`.
 */
export type KeyPath = readonly (string | number)[];

export function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(line);
    const tbl = arr ? null : /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (arr) {
      const name = unquote(arr[1]!);
      const n = arrayCounts.get(name) ?? 0;
      arrayCounts.set(name, n + 1);
      table = `${name}.${n}`;
      remember(lines, table, i + 1);
      return;
    }
    if (tbl) {
      table = unquote(tbl[1]!);
      remember(lines, table, i + 1);
      return;
    }
    const kv = /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=/.exec(line);
    if (kv) remember(lines, table ? `${table}.${unquote(kv[1]!)}` : unquote(kv[1]!), i + 1);
  });
  return lines;
}

function unquote(s: string): string {
  return s
    .split('.')
    .map((p) => p.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

function remember(lines: Map<string, number>, key: string, line: number): void {
  if (!lines.has(key)) lines.set(key, line);
}

/** The line of `path`, or of the nearest enclosing table when the key itself is absent. */
export function lineOf(lines: ReadonlyMap<string, number>, path: KeyPath): number | null {
  for (let n = path.length; n > 0; n--) {
    const hit = lines.get(path.slice(0, n).join('.'));
    if (hit !== undefined) return hit;
  }
  return null;
}

/**
 * A key as an admin reads it: a `[[job]]` by its name, `job "web".schedule`, when it has a
 * valid one (`jobNames`, by index), else by its index from 0, `job[1].schedule`; a
 * `[[target]]` alike (`targetNames`).
 */
export function formatKeyPath(path: KeyPath, jobNames: readonly (string | null)[] = [], targetNames: readonly (string | null)[] = []): string {
  return path.reduce<string>((s, p, i) => {
    if (typeof p !== 'number') return s ? `${s}.${p}` : p;
    const names = i !== 1 ? [] : s === 'job' ? jobNames : s === 'target' ? targetNames : [];
    const name = names[p];
    return name ? `${s} "${name}"` : `${s}[${p}]`;
  }, '');
}

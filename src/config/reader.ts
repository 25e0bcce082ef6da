/**
 * Reads one TOML table against what it may hold: typed getters with defaults, and every
 * unknown key or wrong type collected as a problem (all of them, not just the first).
 */
import { hasControl } from '../util/control.js';
import { parseDuration, type Duration, type DurationLimits } from '../util/duration.js';
import type { KeyPath } from './locate.js';
import type { Problem } from './problems.js';

export type Table = Record<string, unknown>;

export const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A key's own value: never one inherited from Object.prototype (`constructor`, `toString`). */
export const own = (table: Table, key: string): unknown => (Object.hasOwn(table, key) ? table[key] : undefined);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  return `${typeof v === 'string' ? 'a string' : typeof v === 'number' || typeof v === 'bigint' ? 'a number' : `a ${typeof v}`} (${JSON.stringify(typeof v === 'bigint' ? Number(v) : v)})`;
}

export class TableReader {
  constructor(
    readonly table: Table,
    readonly path: KeyPath,
    readonly problems: Problem[],
    known: readonly string[],
  ) {
    for (const key of Object.keys(table)) {
      if (!known.includes(key)) this.problem(hasControl(key) ? JSON.stringify(key) : key, `unknown key (known here: ${known.join(', ')})`);
    }
  }

  problem(key: string | null, message: string): void {
    this.problems.push({ path: key === null ? this.path : [...this.path, key], message });
  }

  /**
   * The entries of the array of tables `key` ([[key]]), each read against `known` with its
   * index; an entry that is not a table, or a `key` that is not an array, is a problem. Lazy:
   * each entry's problems come after the ones of the entry before, in file order.
   */
  *tables(key: string, known: readonly string[]): Generator<{ reader: TableReader; index: number }> {
    const list = this.get(key);
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      this.problem(key, `must be an array of tables ([[${key}]])`);
      return;
    }
    for (const [index, body] of list.entries()) {
      if (isTable(body)) yield { reader: new TableReader(body, [...this.path, key, index], this.problems, known), index };
      else this.problems.push({ path: [...this.path, key, index], message: `must be a table ([[${key}]])` });
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get(key: string): unknown {
    return own(this.table, key);
  }

  string(key: string, fallback: string): string;
  string(key: string, fallback: string | null): string | null;
  string(key: string, fallback: string | null): string | null {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') {
      this.problem(key, `must be a string, not ${describe(v)}`);
      return fallback;
    }
    if (hasControl(v)) {
      this.problem(key, `${JSON.stringify(v)} holds a control character (NUL, newline, tab, ...)`);
      return fallback;
    }
    return v;
  }

  /** A string whose empty value means "none" (hooks, commands). */
  optionalString(key: string): string | null {
    const v = this.string(key, null);
    return v === null || v.trim() === '' ? null : v;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const v = this.get(key);
    if (v === undefined) return fallback;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.problem(key, `must be a whole number, not ${describe(v)}`);
      return fallback;
    }
    if (n < min || n > max) {
      this.problem(key, `must be between ${min} and ${max}, not ${n}`);
      return fallback;
    }
    return n;
  }

  optionalInteger(key: string, min: number, max: number): number | undefined {
    return this.has(key) ? this.integer(key, min, min, max) : undefined;
  }

  strings(key: string, fallback: readonly string[]): string[] {
    const v = this.get(key);
    if (v === undefined) return [...fallback];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      this.problem(key, `must be an array of strings, not ${describe(v)}`);
      return [...fallback];
    }
    const bad = (v as string[]).find(hasControl);
    if (bad !== undefined) {
      this.problem(key, `${JSON.stringify(bad)} holds a control character (NUL, newline, tab, ...)`);
      return [...fallback];
    }
    return v as string[];
  }

  duration(key: string, fallback: string, limits: DurationLimits): Duration;
  duration(key: string, fallback: null, limits: DurationLimits): Duration | null;
  duration(key: string, fallback: string | null, limits: DurationLimits): Duration | null {
    const text = this.string(key, fallback);
    if (text === null) return null;
    const d = parseDuration(text, limits);
    if (typeof d === 'string') {
      this.problem(key, d);
      return fallback === null ? null : (parseDuration(fallback, limits) as Duration);
    }
    return d;
  }

  subtable(key: string, known: readonly string[]): TableReader {
    const v = this.get(key);
    if (v !== undefined && !isTable(v)) this.problem(key, `must be a table, not ${describe(v)}`);
    return new TableReader(isTable(v) ? v : {}, [...this.path, key], this.problems, known);
  }
}

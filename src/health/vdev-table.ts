/**
 * The config table of `zpool status`:
 *
 *     NAME              STATE     READ WRITE CKSUM
 *     tank              ONLINE       0     0     0
 *       mirror-0        ONLINE       0     0     0
 *         ada1          ONLINE       0     0    29  1.69M repaired
 *     logs
 *       nvme0n1p4       ONLINE       0     0     0
 *     spares
 *       draid1-0-0      INUSE     currently in use
 *
 * Nesting is two columns per level under the NAME header (tabs count to the next multiple of 8,
 * so tabbed output and pastes with tabs turned into spaces read the same). Columns after CKSUM in
 * the header (-s SLOW, --power, -c scripts) are skipped; the rest of a row is its note.
 */
import type { Device, DeviceGroup, DeviceRole } from './model.js';
import { parseNiceNumber } from './nicenum.js';

interface VdevReading {
  readonly devices: readonly Device[];
  readonly unknown: readonly string[];
}

/** Section headings; a Map, since the word looked up is a device name (`constructor` included). */
const GROUPS: ReadonlyMap<string, DeviceGroup> = new Map([
  ['dedup', 'dedup'],
  ['special', 'special'],
  ['logs', 'logs'],
  ['cache', 'cache'],
  ['spares', 'spares'],
]);

const STATES = new Set(['ONLINE', 'DEGRADED', 'FAULTED', 'OFFLINE', 'UNAVAIL', 'REMOVED', 'SPLIT', 'AVAIL', 'INUSE']);
/** States a spare row prints without counters. */
const SPARE_STATES = new Set(['AVAIL', 'INUSE', 'UNAVAIL', 'FAULTED', 'REMOVED', 'OFFLINE']);

/** Name, state, and the rest of a row whose end is trimmed (no lazy match before trailing blanks: linear on any line). */
const ROW = /^[ \t]*(\S+)(?:[ \t]+(\S+))?(?:[ \t]+([^]*))?$/;
/** READ WRITE CKSUM, then the rest. */
const COUNTERS = /^(\S+)[ \t]+(\S+)[ \t]+(\S+)(?:[ \t]+([^]*))?$/;

function indentOf(line: string): number {
  let column = 0;
  for (const ch of line) {
    if (ch === ' ') column++;
    else if (ch === '\t') column += 8 - (column % 8);
    else break;
  }
  return column;
}

/** A row while the table is read; its role is known once the next row is. */
type Row = { -readonly [K in keyof Device]: Device[K] };

/** Reads the lines after `config:` up to the next section. */
export function parseVdevTable(lines: readonly string[]): VdevReading {
  const unknown: string[] = [];
  const rows: Row[] = [];
  let header: { indent: number; extraColumns: number } | null = null;
  let group: DeviceGroup = 'data';
  for (const line of lines) {
    const m = ROW.exec(line.trimEnd());
    if (!m) continue;
    const [, name = '', state, rest = ''] = m;
    if (!header) {
      if (name === 'NAME' && state === 'STATE') header = { indent: indentOf(line), extraColumns: Math.max(0, rest.split(/[ \t]+/).length - 3) };
      else unknown.push(line.trim());
      continue;
    }
    const heading = state === undefined ? GROUPS.get(name) : undefined;
    if (heading) {
      group = heading;
      continue;
    }
    const depth = Math.max(0, Math.round((indentOf(line) - header.indent) / 2));
    const row = state === undefined ? null : readRow(name, state, rest, header.extraColumns, group, depth);
    if (row) rows.push(row);
    else unknown.push(line.trim());
  }
  rows.forEach((row, i) => {
    row.role = roleOf(row, rows[i + 1], i);
  });
  return { devices: rows, unknown };
}

function readRow(name: string, state: string, rest: string, extraColumns: number, group: DeviceGroup, depth: number): Row | null {
  if (!STATES.has(state)) return null;
  const m = COUNTERS.exec(rest);
  const read = m ? parseNiceNumber(m[1] ?? '') : null;
  const write = m ? parseNiceNumber(m[2] ?? '') : null;
  const cksum = m ? parseNiceNumber(m[3] ?? '') : null;
  if (read !== null && write !== null && cksum !== null) {
    return { name, state, read, write, cksum, note: noteAfter(m?.[4] ?? '', extraColumns), depth, role: 'leaf', group };
  }
  if (group !== 'spares' || !SPARE_STATES.has(state)) return null;
  return { name, state, read: 0, write: 0, cksum: 0, note: rest || null, depth, role: 'leaf', group };
}

/** The note: what follows the columns after CKSUM. */
function noteAfter(rest: string, extraColumns: number): string | null {
  const note = extraColumns === 0 ? rest : rest.split(/[ \t]+/).slice(extraColumns).join(' ');
  return note === '' ? null : note;
}

function roleOf(row: Row, next: Row | undefined, index: number): DeviceRole {
  if (index === 0) return 'pool';
  return next && next.group === row.group && next.depth > row.depth ? 'vdev' : 'leaf';
}

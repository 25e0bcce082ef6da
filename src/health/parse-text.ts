/**
 * `zpool status [-v] [-x]` text, any dialect: OpenZFS 2.x (FreeBSD 13+, Linux), ZoL 0.6–0.8,
 * FreeBSD's legacy ZFS, Solaris and zfs-fuse (`scrub:` lines), OpenZFS on Windows (CRLF); one
 * pool or many; pastes with blank lines dropped or tabs turned into spaces.
 *
 * The output is a run of pool blocks, each a list of sections keyed `  pool:`, ` state:`,
 * `status:`, ... right-aligned within the first seven columns; everything indented further
 * continues the section above. Whatever is not understood is kept, never dropped and never
 * fatal: in `unknown_lines` where it could hide trouble (a config-table row, an `errors:` section,
 * a scan line that counts errors, a message that names a failure), else in `unfamiliar_lines`
 * (a header zbk does not know, a new wording of a scan or trim line), which are only shown.
 */
import { parseErrorsSections } from './errors-text.js';
import { NO_SCAN, type Device, type ParsedStatus, type PoolStatus, type Scan } from './model.js';
import { parseNiceNumber } from './nicenum.js';
import { parsePrintedDate } from './printed-date.js';
import { parseScanText } from './scan-text.js';
import { parseVdevTable } from './vdev-table.js';

/** `  pool: tank`, matched on a line with its end trimmed (a lazy match before `\s*$` is quadratic on long blank runs). */
const KEY = /^ {0,6}([a-z]+):(?:[ \t]+([^]*))?$/;
const keyOf = (line: string) => KEY.exec(line.trimEnd());
const KNOWN_KEYS = new Set([
  ...['pool', 'state', 'status', 'action', 'see', 'scan', 'scrub', 'config', 'errors'],
  // Known and not read: progress of a device removal, a checkpoint, a raidz expansion; the DDT
  // summary and histogram of -D. None of them says anything about faults.
  ...['remove', 'checkpoint', 'expand', 'dedup'],
]);
const STATUS_ID = /\bZFS-\d{4}-[0-9A-Z]{2,3}\b/;
const NO_CONFIG = /^The configuration cannot be determined\.$/;
/** Lines that speak for the whole output (zpool status -x, no pools imported). */
const SUMMARY = /^(?:all pools are healthy|no pools available|pool '.+' is healthy)$/;
/** The header of a ZED notification mail, which precedes the status text of its pool. */
const ZED_HEADER = /^(?:ZFS has .+:| {0,6}(?:eid|class|host|time|vtype|vpath|vphys|vguid|devid):(?: .*)?)$/;
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;
/** A Markdown code fence around a pasted output (an issue, a forum post): decoration, like a colour code. */
const FENCE = /^[ \t]*(?:```|~~~)[\w-]*[ \t]*$/gm;
/** A message that says some pool or device was not shown: `cannot open 'backup': no such pool`. */
const FAILURE = /^(?:cannot |internal error|error:)/i;
/** A line that counts errors, or a device row (or the table header) out of its table: it could hide a fault. */
const COUNTS_ERRORS = /\b[1-9][\d.,]* errors?\b/;
const DEVICE_ROW = /^\S+\s+(?:STATE|ONLINE|DEGRADED|FAULTED|OFFLINE|UNAVAIL|REMOVED|SUSPENDED|AVAIL|INUSE)(?:\s|$)/;
const couldHide = (line: string) => FAILURE.test(line) || COUNTS_ERRORS.test(line) || DEVICE_ROW.test(line);

/** Lines not understood, sorted by whether they could hide trouble. */
interface NotUnderstood {
  readonly risky: string[];
  readonly harmless: string[];
}

interface Section {
  readonly key: string;
  readonly lines: string[];
}

export function parseText(text: string, timeZone: string): ParsedStatus {
  const lines = text.replace(ANSI_COLOUR, '').replace(/\r/g, '').replace(FENCE, '').split('\n');
  const blocks: string[][] = [];
  const outside: string[] = [];
  for (const line of lines) {
    if (keyOf(line)?.[1] === 'pool') blocks.push([line]);
    else (blocks.at(-1) ?? outside).push(line);
  }
  const notes = outside.map((l) => l.trim()).filter((l) => SUMMARY.test(l));
  const unknown = outside.filter((l) => isUnknownOutside(l, timeZone)).map((l) => l.trim());
  const [first, ...others] = blocks;
  if (!first) return { pools: [], notes, unknown_lines: unknown };
  const before = { risky: unknown.filter(couldHide), harmless: unknown.filter((l) => !couldHide(l)) };
  const none = () => ({ risky: [], harmless: [] });
  return { pools: [parseBlock(first, before, timeZone), ...others.map((b) => parseBlock(b, none(), timeZone))], notes, unknown_lines: [] };
}

/** Blank lines, summaries, a ZED mail header and a `-T` timestamp are understood; nothing else outside a pool is. */
function isUnknownOutside(line: string, timeZone: string): boolean {
  const t = line.trim();
  return t !== '' && !SUMMARY.test(t) && !ZED_HEADER.test(line) && !/^\d+$/.test(t) && parsePrintedDate(t, timeZone) === null;
}

function sectionsOf(block: readonly string[]): Section[] {
  const sections: Section[] = [];
  for (const line of block) {
    const m = keyOf(line);
    if (m && KNOWN_KEYS.has(m[1] ?? '')) sections.push({ key: m[1] ?? '', lines: [m[2] ?? ''] });
    else if (m) sections.push({ key: '', lines: [line] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections;
}

/** Adds `items` one by one: `push(...items)` overflows the stack on a long list. */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

/** The non-blank lines, trimmed. */
const textOf = (lines: readonly string[]) => lines.map((l) => l.trim()).filter((l) => l !== '');
/** A section's text with its wrapped lines joined. */
const joined = (section: Section | undefined) => (section ? textOf(section.lines).join(' ').replace(/\s+/g, ' ') || null : null);

/** A pool block; `notUnderstood` holds lines already found not understood (text before the first pool). */
function parseBlock(block: readonly string[], notUnderstood: NotUnderstood, timeZone: string): PoolStatus {
  const sections = sectionsOf(block);
  const all = (...keys: string[]) => sections.filter((s) => keys.includes(s.key));
  const one = (key: string) => all(key)[0];
  const { risky, harmless } = notUnderstood;
  const sort = (lines: readonly string[]) => {
    for (const line of lines) (couldHide(line) ? risky : harmless).push(line);
  };
  // A header zbk does not know says nothing it relies on, whatever it says; the lines under it,
  // under `pool:` or `state:`, or in a scan section are sorted.
  for (const s of all('')) {
    const [header = '', ...under] = textOf(s.lines);
    harmless.push(header);
    sort(under);
  }
  for (const s of all('pool', 'state')) sort(textOf(s.lines.slice(1)));

  const scans: Scan[] = [];
  for (const s of all('scan', 'scrub')) {
    const reading = parseScanText(s.lines, timeZone);
    scans.push(reading.scan);
    sort(reading.unknown);
  }

  // A row zbk cannot read could be a failing disk.
  const devices = all('config').flatMap((s) => {
    const [value = '', ...table] = s.lines;
    if (value !== '' && !NO_CONFIG.test(value)) risky.push(value);
    const reading = parseVdevTable(table);
    append(risky, reading.unknown);
    return reading.devices;
  });

  const errors = parseErrorsSections(all('errors').map((s) => s.lines));
  append(risky, errors.unknown);
  // What follows a pool's last line is read as text outside a pool is: `zpool status -T d 5` prints its date there.
  sort(errors.after.filter((l) => isUnknownOutside(l, timeZone)));

  const [first = NO_SCAN, ...extra] = scans;
  const scan = first.state === 'finished' && first.repaired_bytes === null ? { ...first, repaired_bytes: amountInNotes(devices, first) } : first;
  return {
    name: one('pool')?.lines[0] ?? '',
    state: one('state')?.lines[0] || 'UNKNOWN',
    status: joined(one('status')),
    action: joined(one('action')),
    status_id: STATUS_ID.exec(joined(one('see')) ?? '')?.[0] ?? null,
    scan,
    extra_scans: extra,
    devices,
    data_errors: errors.data_errors,
    error_files: errors.error_files,
    permanent_errors: errors.permanent_errors,
    capacity: null,
    unknown_lines: risky,
    unfamiliar_lines: harmless,
  };
}

/**
 * Solaris and zfs-fuse print no amount on the scan line but one per device (`96.3M repaired`,
 * `121M resilvered`); the scan's amount is their sum, 0 when no device has one.
 */
function amountInNotes(devices: readonly Device[], scan: Scan): number {
  const word = scan.function === 'scrub' ? 'repaired' : 'resilvered';
  return devices.reduce((sum, d) => {
    const m = /^(\S+) (\w+)$/.exec(d.note ?? '');
    return sum + (m?.[2] === word ? (parseNiceNumber(m[1] ?? '') ?? 0) : 0);
  }, 0);
}

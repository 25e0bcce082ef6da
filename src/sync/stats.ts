/**
 * The block `rsync --stats` prints at the end of a transfer (rsync 3.1 and later):
 *
 *   Number of files: 9 (reg: 3, dir: 4, link: 1, special: 1)
 *   Number of created files: 8 (reg: 3, dir: 3, link: 1, special: 1)
 *   Number of deleted files: 0
 *   Number of regular files transferred: 2
 *   Total file size: 8,388,641 bytes
 *   Total transferred file size: 8,388,621 bytes
 *   Literal data: 8,388,621 bytes
 *   Matched data: 0 bytes
 *   ...
 *   Total bytes sent: 8,391,011
 *   Total bytes received: 102
 *
 *   sent 8,391,011 bytes  received 102 bytes  16,782,226.00 bytes/sec
 *   total size is 8,388,641  speedup is 1.00
 *
 * The lines may follow other output (progress, a file list from `-v`); the last of each
 * counts. Numbers are read with parseRsyncNumber (either locale's separators).
 */
import { parseRsyncNumber } from './numbers.js';

/** A count of files and its breakdown by kind, as `Number of files: 9 (reg: 3, dir: 4, ...)` prints it. */
interface FileCounts {
  readonly total: number;
  readonly reg: number;
  readonly dir: number;
  readonly link: number;
  readonly dev: number;
  readonly special: number;
}

export interface RsyncStats {
  readonly files: FileCounts;
  readonly created: FileCounts;
  readonly deleted: FileCounts;
  /** Regular files whose data was updated. */
  readonly transferred: number;
  readonly totalFileSize: number;
  readonly transferredFileSize: number;
  /** Bytes that crossed as data: the changed parts. */
  readonly literalData: number;
  /** Bytes rebuilt from blocks the destination already had. */
  readonly matchedData: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly bytesPerSecond: number;
  readonly speedup: number;
}

const KINDS: ReadonlySet<string> = new Set(['reg', 'dir', 'link', 'dev', 'special']);
const N = String.raw`([\d.,]+[KMGTP]?)`;
const line = (text: string): RegExp => new RegExp(`^${text}$`);

/** The stats in rsync's output, or null when the output has no complete --stats block. */
export function parseRsyncStats(output: string): RsyncStats | null {
  const newestFirst = output.split(/[\r\n]+/).map((l) => l.trim()).reverse();
  const last = (re: RegExp): RegExpExecArray | null => {
    for (const l of newestFirst) {
      const m = re.exec(l);
      if (m) return m;
    }
    return null;
  };
  const count = (re: RegExp, group = 1): number | null => {
    const m = last(re);
    return m ? parseRsyncNumber(m[group]!) : null;
  };
  const kinds = (re: RegExp): FileCounts | null => {
    const m = last(re);
    return m ? fileCounts(m[1]!) : null;
  };
  return complete({
    files: kinds(/^Number of files: (.*)$/),
    created: kinds(/^Number of created files: (.*)$/),
    deleted: kinds(/^Number of deleted files: (.*)$/),
    transferred: count(line(`Number of regular files transferred: ${N}`)),
    totalFileSize: count(line(`Total file size: ${N} bytes`)),
    transferredFileSize: count(line(`Total transferred file size: ${N} bytes`)),
    literalData: count(line(`Literal data: ${N} bytes`)),
    matchedData: count(line(`Matched data: ${N} bytes`)),
    bytesSent: count(line(`Total bytes sent: ${N}`)),
    bytesReceived: count(line(`Total bytes received: ${N}`)),
    bytesPerSecond: count(line(`sent ${N} bytes {2}received ${N} bytes {2}${N} bytes/sec`), 3),
    speedup: count(line(`total size is ${N} {2}speedup is ${N}`), 2),
  });
}

/** `9 (reg: 3, dir: 4, link: 1, special: 1)` or `0`; kinds not named are 0. */
function fileCounts(text: string): FileCounts | null {
  const m = /^(\S+)(?: \((.*)\))?$/.exec(text);
  const total = m ? parseRsyncNumber(m[1]!) : null;
  if (total === null) return null;
  const counts = { total, reg: 0, dir: 0, link: 0, dev: 0, special: 0 };
  for (const part of m![2]?.split(', ') ?? []) {
    const [, kind = '', value = ''] = /^(\w+): (\S+)$/.exec(part) ?? [];
    const n = parseRsyncNumber(value);
    if (!KINDS.has(kind) || n === null) return null;
    counts[kind as keyof FileCounts] = n;
  }
  return counts;
}

/** The record when every value is there, else null. */
function complete<T extends Record<string, unknown>>(record: T): { [K in keyof T]: NonNullable<T[K]> } | null {
  return Object.values(record).every((v) => v !== null) ? (record as { [K in keyof T]: NonNullable<T[K]> }) : null;
}

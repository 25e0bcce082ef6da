/**
 * `zfs diff -H -F` (OpenZFS; zfs-fuse has no diff): one line a change, tab-separated:
 * the change (`-` removed, `+` created, `M` modified, `R` renamed), the file type (`F` file,
 * `/` directory, `@` symlink, `B` `C` `|` `=` `>` `P` others), the path, then for a rename the
 * new path, or a link-count change such as `(+1)`. Paths are absolute (under the mountpoint);
 * bytes other than printable ASCII, and backslash and space, come as `\0ooo` (zfs-diff(8),
 * libzfs's stream_bytes).
 */
import { decodeOctalEscapes } from '../util/octal-escapes.js';
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';

export interface ZfsDiffLine {
  readonly change: '-' | '+' | 'M' | 'R';
  readonly type: string;
  readonly path: string;
  /** For R: the new path. */
  readonly to: string | null;
}

export function diffArgs(from: string, to: string): string[] {
  return ['diff', '-H', '-F', from, to];
}

/** `\0ooo` (and the older `\ooo`) escapes to their bytes, read as UTF-8. */
export const unescapeDiffPath = (text: string): string => decodeOctalEscapes(text, /^\\(0?[0-7]{3})/);

export function parseZfsDiff(text: string): ZfsDiffLine[] {
  const out: ZfsDiffLine[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [change, type, path, extra] = line.split('\t');
    if ((change !== '-' && change !== '+' && change !== 'M' && change !== 'R') || !type || !path) {
      throw new ZfsError('failed', `zfs diff printed a line zbk cannot read: ${JSON.stringify(line)}`);
    }
    if (change === 'R' && !extra) throw new ZfsError('failed', `zfs diff printed a rename without its new path: ${JSON.stringify(line)}`);
    out.push({ change, type, path: unescapeDiffPath(path), to: change === 'R' ? unescapeDiffPath(extra!) : null });
  }
  return out;
}

export async function zfsDiff(run: Runner, from: string, to: string): Promise<ZfsDiffLine[]> {
  return parseZfsDiff(await run('zfs', diffArgs(from, to)));
}

/**
 * What changed between two directory trees, as an itemized rsync dry run says it:
 * `rsync -n -i -aHc --delete --numeric-ids --out-format='%i %n' TO/ FROM/` lists what it would
 * do to make FROM look like TO. `-c` compares content, as `zfs diff` does (it sees blocks):
 * without it a file rewritten with the same size and mtime would not count as modified; the
 * price is a read of both views' files (this is the path of ZFS without `zfs diff`). Each line is an 11-character item, a space, the path (a
 * directory's ends in `/`): `>f+++++++++` (or `cd`, `cL`, `hf`… with `+++++++++`) is created,
 * `*deleting  ` is removed, any other item is a change of content or metadata. rsync writes
 * unprintable bytes of names as `\#ooo` (octal). Pure.
 */
import { decodeOctalEscapes } from '../util/octal-escapes.js';

export interface ItemizedChange {
  readonly change: 'added' | 'removed' | 'modified';
  /** Relative to the trees' roots, without a trailing slash ('' for the root itself). */
  readonly path: string;
  readonly directory: boolean;
}

export function itemizeArgs(from: string, to: string): string[] {
  const slash = (d: string) => (d.endsWith('/') ? d : `${d}/`);
  return ['-n', '-i', '-aHc', '--delete', '--numeric-ids', '--out-format=%i %n', '--', slash(to), slash(from)];
}

/** `\#ooo` escapes back to their bytes, read as UTF-8. */
export const unescapeRsyncName = (text: string): string => (text.includes('\\#') ? decodeOctalEscapes(text, /^\\#([0-7]{3})/) : text);

export function parseItemized(text: string): ItemizedChange[] {
  const out: ItemizedChange[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const item = line.slice(0, 11);
    if (line.length < 13 || line[11] !== ' ' || !/^(\*deleting {2}|[<>ch.*][fdLDS][ .+?a-zA-Z]{9})$/.test(item)) {
      throw new Error(`rsync printed a line zbk cannot read as an itemized change: ${JSON.stringify(line)}`);
    }
    const raw = unescapeRsyncName(line.slice(12));
    const directory = raw.endsWith('/');
    const path = raw === './' ? '' : raw.replace(/\/$/, '');
    if (item.startsWith('*deleting')) out.push({ change: 'removed', path, directory });
    else if (item.slice(2) === '+++++++++') out.push({ change: 'added', path, directory });
    else if (/[^ .]/.test(item.slice(2))) out.push({ change: 'modified', path, directory });
  }
  return out;
}

/**
 * The `errors:` lines of a pool (a pool may print more than one: run without privileges, OpenZFS
 * says the list is unavailable, then gives the count):
 *
 *     errors: No known data errors
 *     errors: 4 data errors, use '-v' for a list
 *     errors: List of errors unavailable: permission denied      (older: "(insufficient privileges)")
 *     errors: Permanent errors have been detected in the following files:
 *
 *             <metadata>:<0x0>
 *             tank/fs@zbk_2026-11-26T030000Z:/etc/passwd
 *
 * A complete `-v` list gives the count; a header with nothing under it (seen on FreeBSD) says
 * there are errors but not how many. A list can be a million lines long: it is read in one
 * pass, counted in full, and only its first MAX_ERROR_FILES entries are kept.
 */
import { MAX_ERROR_FILES } from './model.js';
import { parseCount } from './nicenum.js';

interface ErrorsReading {
  readonly data_errors: number | null;
  readonly error_files: readonly string[];
  readonly permanent_errors: boolean;
  /** Lines not understood: a head zbk does not know, or the lines under it. */
  readonly unknown: readonly string[];
  /**
   * Lines after a head that takes no list (`No known data errors`, a count): no part of the
   * section, such as the shell prompt after a pasted output.
   */
  readonly after: readonly string[];
}

const NONE = /^No known data errors$/;
/** The count may carry a locale's thousands marks (`1,234 data errors`). */
const COUNT = /^(\d[\d.,'\u00a0\u202f]*) data errors?, use '-v' for a list$/;
const UNAVAILABLE = /^List of errors unavailable\b/;
/** Today's header, and the one of the first Solaris releases (followed by a DATASET OBJECT RANGE table). */
const LIST_HEADER = /^(?:Permanent errors have been detected in the following files|The following persistent errors have been detected):$/;
const OLD_TABLE_HEADER = /^DATASET\s+OBJECT\s+RANGE$/;

/** Reads every `errors:` section of a pool; each is the text after the key, then the lines under it. */
export function parseErrorsSections(sections: ReadonlyArray<readonly string[]>): ErrorsReading {
  let count: number | null = null;
  let listed = false;
  let listedCount = 0;
  const files: string[] = [];
  const unknown: string[] = [];
  const after: string[] = [];
  for (const section of sections) {
    const head = (section[0] ?? '').trim();
    const m = COUNT.exec(head);
    const counted = m ? parseCount(m[1] ?? '') : null;
    const isList = LIST_HEADER.test(head);
    const understood = isList || NONE.test(head) || counted !== null || UNAVAILABLE.test(head);
    if (NONE.test(head)) count = 0;
    else if (counted !== null) count = counted;
    else if (isList) listed = true;
    else if (!understood) unknown.push(head);
    for (let i = 1; i < section.length; i++) {
      const line = (section[i] ?? '').trim();
      if (line === '') continue;
      if (isList) {
        if (!OLD_TABLE_HEADER.test(line) && listedCount++ < MAX_ERROR_FILES) files.push(line);
      } else (understood ? after : unknown).push(line);
    }
  }
  const dataErrors = count ?? (listedCount > 0 ? listedCount : null);
  return { data_errors: dataErrors, error_files: files, permanent_errors: listed, unknown, after };
}

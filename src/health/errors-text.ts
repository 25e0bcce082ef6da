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
 * there are errors but not how many.
 */
export interface ErrorsReading {
  readonly data_errors: number | null;
  readonly error_files: readonly string[];
  readonly permanent_errors: boolean;
  readonly unknown: readonly string[];
}

const NONE = /^No known data errors$/;
const COUNT = /^(\d+) data errors?, use '-v' for a list$/;
const UNAVAILABLE = /^List of errors unavailable\b/;
/** Today's header, and the one of the first Solaris releases (followed by a DATASET OBJECT RANGE table). */
const LIST_HEADER = /^(?:Permanent errors have been detected in the following files|The following persistent errors have been detected):$/;
const OLD_TABLE_HEADER = /^DATASET\s+OBJECT\s+RANGE$/;

/** Reads every `errors:` section of a pool; each is the text after the key, then the lines under it. */
export function parseErrorsSections(sections: ReadonlyArray<readonly string[]>): ErrorsReading {
  let count: number | null = null;
  let listed = false;
  const files: string[] = [];
  const unknown: string[] = [];
  for (const [first = '', ...rest] of sections) {
    const head = first.trim();
    const under = rest.map((l) => l.trim()).filter((l) => l !== '');
    const m = COUNT.exec(head);
    if (NONE.test(head)) count = 0;
    else if (m) count = Number(m[1]);
    else if (LIST_HEADER.test(head)) {
      listed = true;
      files.push(...under.filter((l) => !OLD_TABLE_HEADER.test(l)));
      continue;
    } else if (!UNAVAILABLE.test(head)) unknown.push(head);
    unknown.push(...under);
  }
  const dataErrors = count ?? (files.length > 0 ? files.length : null);
  return { data_errors: dataErrors, error_files: files, permanent_errors: listed, unknown };
}

/** `zpool status` output of either form, read as the caller says it is: JSON (`-j`) or text. */
import type { ParsedStatus } from './model.js';
import { parseJson } from './parse-json.js';
import { parseText } from './parse-text.js';

type StatusFormat = 'json' | 'text';

const BOM = /^\uFEFF/;

/** Reads an output; times printed without a zone are read in `timeZone` (IANA name). */
export function parse(input: string, format: StatusFormat, timeZone: string): ParsedStatus {
  const text = input.replace(BOM, '');
  return format === 'json' ? parseJson(text, timeZone) : parseText(text, timeZone);
}

/**
 * The form of a captured output (`--from-file`), whose origin zbk does not know: JSON when it
 * starts with `{`. zbk's own `zpool status` runs know which form they asked for and never guess.
 */
export function detectFormat(input: string): StatusFormat {
  return /^\s*\{/.test(input.replace(BOM, '')) ? 'json' : 'text';
}

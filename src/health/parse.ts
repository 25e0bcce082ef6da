/** `zpool status` output of either form: JSON (`-j`) when it starts with `{`, text otherwise. */
import type { ParsedStatus } from './model.js';
import { parseJson } from './parse-json.js';
import { parseText } from './parse-text.js';

/** Reads an output; times printed without a zone are read in `timeZone` (IANA name). */
export function parse(input: string, timeZone: string): ParsedStatus {
  const text = input.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(text) ? parseJson(text, timeZone) : parseText(text, timeZone);
}

/**
 * Text from outside (pool, device and file names, notes, lines zbk did not understand) made
 * safe to print on a terminal or in a mail: C0 and C1 controls, DEL, line and paragraph
 * separators, and the bidirectional overrides and isolates (which can make `evil.exe\u202Etxt.sh`
 * read as something else) become visible escapes, `\x1b` or `\u202e`. Everything else,
 * backslashes included (Windows device names), is left as it is, so escaping twice changes nothing.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same but C0, which JSON.stringify escapes itself inside strings and uses (newlines) between them. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => (c.codePointAt(0) ?? 0).toString(16).padStart(width, '0');

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** The same characters as `\uXXXX` escapes, for JSON text: valid JSON that parses to the same data. */
export function jsonPrintable(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}

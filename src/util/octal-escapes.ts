/**
 * Names that tools print with octal escapes for bytes they will not print as they are (`zfs
 * diff`: `\0ooo` or `\ooo`; rsync's itemized output: `\#ooo`), back to the name: the escaped
 * bytes and the text between them, decoded together as UTF-8, so that an escaped multi-byte
 * character comes back whole.
 */
export function decodeOctalEscapes(text: string, escape: RegExp): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const m = escape.exec(text.slice(i, i + 5));
    if (m) {
      bytes.push(Number.parseInt(m[1]!, 8) & 0xff);
      i += m[0].length;
    } else {
      const c = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...Buffer.from(c, 'utf8'));
      i += c.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

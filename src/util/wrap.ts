/**
 * Text for a mail reader, which wraps lines longer than 78 columns wherever it likes: lines
 * broken at spaces, by `width` where they can be, later lines indented by `indent`. A word
 * longer than a line (a long dataset or path) stands whole on a line of its own: a name is
 * never cut. A newline in the text starts a new, indented, line.
 */
export const MAIL_WIDTH = 78;

export function wrap(text: string, indent: string, width = MAIL_WIDTH): string {
  const lines: string[] = [];
  text.split('\n').forEach((paragraph, i) => {
    let line = i === 0 ? '' : indent;
    let started = false;
    for (const word of paragraph.split(' ')) {
      const longer = started ? `${line} ${word}` : `${line}${word}`;
      if (started && word !== '' && longer.length > width && line.trim() !== '') {
        lines.push(line);
        line = `${indent}${word}`;
      } else {
        line = longer;
      }
      started = true;
    }
    lines.push(line);
  });
  return lines.join('\n');
}

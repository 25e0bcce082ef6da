/**
 * Text for a mail reader, which wraps lines longer than 78 columns wherever it likes: lines
 * broken at spaces, by `width` where they can be, later lines indented by `indent`. A word
 * longer than a line (a long dataset or path) stands whole on a line of its own: a name is
 * never cut. A newline in the text starts a new, indented, line.
 */
export const MAIL_WIDTH = 78;

export function wrap(text: string, indent: string, width = MAIL_WIDTH): string {
  return text.split('\n').map((paragraph, i) => wrapItems(paragraph.split(' '), indent, { width, first: i === 0 ? '' : indent })).join('\n');
}

interface WrapOptions {
  /** Columns a line may take (default MAIL_WIDTH). */
  readonly width?: number;
  /**
   * What joins two items on a line (default a space). A line broken after an item ends with the
   * separator's non-blank part (the comma of ", "), which must fit in the width too.
   */
  readonly separator?: string;
  /** What stands before the first item on the first line (default nothing). */
  readonly first?: string;
}

/** Items joined by the separator, broken between items only: an item (a list's entry, a word) is never cut. */
export function wrapItems(items: readonly string[], indent: string, options: WrapOptions = {}): string {
  const { width = MAIL_WIDTH, separator = ' ', first = '' } = options;
  const lines: string[] = [];
  let line = first;
  const mark = separator.trimEnd();
  let placed = false; // whether the line holds an item that is not blank: a line is never left empty
  items.forEach((item, i) => {
    const longer = i === 0 ? `${line}${item}` : `${line}${separator}${item}`;
    if (placed && item !== '' && longer.length + mark.length > width) {
      lines.push(`${line}${mark}`);
      line = `${indent}${item}`;
      placed = item.trim() !== '';
    } else {
      line = longer;
      placed ||= item.trim() !== '';
    }
  });
  lines.push(line);
  return lines.join('\n');
}

/**
 * Streamed text cut into lines at \n or \r (rsync redraws its progress line with \r),
 * keeping only the last lines, so that a chatty rsync cannot fill zbk's memory.
 * Blank lines are dropped; so is the rest of a line longer than MAX_LINE characters.
 */
const MAX_LINE = 16384;

export class LineTail {
  readonly #max: number;
  readonly #onLine: (line: string) => boolean;
  #lines: string[] = [];
  #partial = '';

  /** `onLine` sees every line and says whether to keep it. */
  constructor(max: number, onLine: (line: string) => boolean = () => true) {
    this.#max = max;
    this.#onLine = onLine;
  }

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split(/[\r\n]/);
    this.#partial = parts.pop()!.slice(0, MAX_LINE);
    for (const line of parts) this.#take(line);
  }

  /** Takes the last line, when the text did not end with a newline. */
  end(): void {
    this.#take(this.#partial);
    this.#partial = '';
  }

  /** The kept lines, each ending with \n. */
  text(): string {
    return this.#lines.slice(-this.#max).map((line) => `${line}\n`).join('');
  }

  #take(line: string): void {
    if (line.trim() === '' || !this.#onLine(line)) return;
    this.#lines.push(line);
    if (this.#lines.length >= 2 * this.#max) this.#lines = this.#lines.slice(-this.#max); // trimmed now and then, not per line
  }
}

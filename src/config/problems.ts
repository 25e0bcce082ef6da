/** Config errors that name the file, the line and the key. */
import { formatKeyPath, lineOf, type KeyPath } from './locate.js';

export interface Problem {
  readonly path: KeyPath;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    /** `column` only where the parser knows it (a TOML syntax error). */
    readonly problems: readonly { line: number | null; column?: number; key: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}${where(p.line, p.column)}: ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n'));
  }
}

const where = (line: number | null, column: number | undefined) =>
  line === null ? '' : column === undefined ? `:${line}` : `:${line}:${column}`;

/** `jobNames`, `targetNames`: each [[job]]'s ([[target]]'s) valid name or null, by index, to name it in its problems. */
export function configError(
  file: string, lines: ReadonlyMap<string, number>, problems: readonly Problem[],
  jobNames: readonly (string | null)[] = [], targetNames: readonly (string | null)[] = [],
): ConfigError {
  return new ConfigError(
    file,
    problems
      .map((p) => ({ line: lineOf(lines, p.path), key: formatKeyPath(p.path, jobNames, targetNames), message: p.message }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
}

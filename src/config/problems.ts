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
    readonly problems: readonly { line: number | null; key: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}${p.line === null ? '' : `:${p.line}`}: ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n'));
  }
}

export function configError(file: string, lines: ReadonlyMap<string, number>, problems: readonly Problem[]): ConfigError {
  return new ConfigError(
    file,
    problems
      .map((p) => ({ line: lineOf(lines, p.path), key: formatKeyPath(p.path), message: p.message }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
}

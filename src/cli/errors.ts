/** How a command's failure reaches the admin: one message on stderr and the contract's exit code. */
import { ConfigError } from '../config/problems.js';
import { Refused } from '../views/refused.js';
import { ZfsError } from '../zfs/errors.js';
import { EXIT } from './exit.js';

/** A failure that carries its own exit code (usage errors, a held lock). */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export function usageError(message: string): ExitError {
  return new ExitError(message, EXIT.usage);
}

export function report(e: unknown, failedCode: number = EXIT.failed): number {
  if (e instanceof ConfigError) {
    process.stderr.write(`zbk: config error\n${e.message}\n`);
    return EXIT.config;
  }
  if (e instanceof ExitError || e instanceof Refused) {
    process.stderr.write(`zbk: ${e.message}\n`);
    return e instanceof ExitError ? e.code : EXIT.usage;
  }
  if (e instanceof ZfsError) {
    process.stderr.write(`zbk: ${e.message}\n`);
    return failedCode;
  }
  process.stderr.write(`zbk: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return failedCode;
}

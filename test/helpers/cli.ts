/** Runs the built CLI (dist/cli.js, from `make build`) as a user would. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execaWithDeadline } from './deadline.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/cli.js`;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function zbk(args: readonly string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`make build\` (make test does it)`);
  const r = await execaWithDeadline(process.execPath, [CLI, ...args], {
    reject: false,
    env: { ZBK_CONFIG: '', LC_ALL: 'C', ...options.env },
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  }, `zbk ${args.join(' ')}`);
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `zbk run`'s text as one line per item: it wraps long lines at 78 columns with a four-space
 * indent (for the daily mail); this joins them back, so that tests can match whole messages.
 */
export const unwrap = (text: string): string => text.replace(/\n {4}/g, ' ');

/** zbk once for each argument list, a few at a time (each is a process of its own), the results in their order. */
export async function zbkEach(argsList: readonly (readonly string[])[], width = 6): Promise<CliResult[]> {
  const results: CliResult[] = new Array(argsList.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < argsList.length; i = next++) results[i] = await zbk(argsList[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, argsList.length) }, worker));
  return results;
}

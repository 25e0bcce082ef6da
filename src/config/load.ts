/**
 * Finding and loading the config: `--config PATH`, else $ZBK_CONFIG, else
 * PREFIX/etc/zbk.toml (default-path.ts). Commands that need no job run on the defaults when no file is
 * there at all; a file that is there must be right, or nothing runs (exit 78).
 */
import { open, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { trustProblem } from '../util/trust.js';
import { tableNames } from './job.js';
import { keyLines } from './locate.js';
import { ConfigError, configError } from './problems.js';
import { scheduleProblems } from './schedules.js';
import type { Config } from './types.js';
import { DEFAULT_CONFIG_FILE } from './default-path.js';
import { validateConfig } from './validate.js';

interface LoadOptions {
  /** --config, if given. */
  readonly path?: string | undefined;
  /** Fall back to the defaults when the (default) file does not exist. */
  readonly optional?: boolean;
  /** Also check the cron schedules (costs an import of cron-parser). */
  readonly schedules?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export function configPath(options: LoadOptions): { file: string; explicit: boolean } {
  const env = options.env ?? process.env;
  if (options.path) return { file: options.path, explicit: true };
  if (env.ZBK_CONFIG) return { file: env.ZBK_CONFIG, explicit: true };
  return { file: DEFAULT_CONFIG_FILE, explicit: false };
}

export async function loadConfig(options: LoadOptions = {}): Promise<Config> {
  const { file, explicit } = configPath(options);
  let text: string;
  try {
    text = await readTrusted(file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional && !explicit) return validateConfig({}, null).config;
    const why = code === 'ENOENT' ? 'no such file (create it from zbk.toml.sample, or name another with --config)' : (e as Error).message;
    throw new ConfigError(file, [{ line: null, key: '', message: why }]);
  }
  return parseConfig(text, file, options.schedules ?? false);
}

/**
 * The config names hooks and commands that zbk runs as its user (root, from rc.d and
 * periodic): whoever can write the file, or replace it, runs code as root. So the file
 * and every directory above it must be owned by root or by zbk's own user, and not be
 * writable by group or others (a directory with the sticky bit, like /tmp, is fine: there
 * only a file's owner may rename or remove it). The file is checked on the handle it is
 * read from, so a swap between the check and the read changes nothing.
 */
async function readTrusted(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const problem = trustProblem(await handle.stat());
    if (problem) throw refused(file, `the config ${problem}`);
    let dir = dirname(await realpath(file));
    for (;;) {
      const why = trustProblem(await stat(dir), true);
      if (why) throw refused(file, `its directory ${dir} ${why}`);
      if (dir === dirname(dir)) break;
      dir = dirname(dir);
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function refused(file: string, problem: string): ConfigError {
  return new ConfigError(file, [{
    line: null, key: '',
    message: `${problem}; its hooks and commands run as zbk's user, so nobody else may change it (chmod go-w, chown root)`,
  }]);
}

export async function parseConfig(text: string, file: string, schedules = false): Promise<Config> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      // smol-toml says "Invalid TOML document: <why>", then quotes the lines around it.
      const why = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new ConfigError(file, [{ line: e.line, column: e.column, key: '', message: `TOML syntax: ${why}` }]);
    }
    throw e;
  }
  const { config, problems } = validateConfig(doc, file);
  if (schedules && problems.length === 0) problems.push(...(await scheduleProblems(config)));
  if (problems.length > 0) throw configError(file, keyLines(text), problems, tableNames(doc, 'job'), tableNames(doc, 'target'));
  return config;
}

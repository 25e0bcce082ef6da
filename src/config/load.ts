/**
 * Finding and loading the config: `--config PATH`, else $ZBK_CONFIG, else
 * PREFIX/etc/zbk.toml (default-path.ts). Commands that need no job run on the defaults when no file is
 * there at all; a file that is there must be right, or nothing runs (exit 78).
 */
import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { keyLines } from './locate.js';
import { ConfigError, configError } from './problems.js';
import { scheduleProblems } from './schedules.js';
import type { Config } from './types.js';
import { DEFAULT_CONFIG_FILE } from './default-path.js';
import { validateConfig } from './validate.js';

export interface LoadOptions {
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
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional && !explicit) return validateConfig({}, null).config;
    const why = code === 'ENOENT' ? 'no such file (create it from zbk.toml.sample, or name another with --config)' : (e as Error).message;
    throw new ConfigError(file, [{ line: null, key: '', message: why }]);
  }
  return parseConfig(text, file, options.schedules ?? false);
}

export async function parseConfig(text: string, file: string, schedules = false): Promise<Config> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      throw new ConfigError(file, [{ line: e.line, key: '', message: `TOML syntax: ${e.message.split('\n')[0]}` }]);
    }
    throw e;
  }
  const { config, problems } = validateConfig(doc, file);
  if (schedules && problems.length === 0) problems.push(...(await scheduleProblems(config)));
  if (problems.length > 0) throw configError(file, keyLines(text), problems);
  return config;
}

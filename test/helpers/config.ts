/** The config's refusals as the admin reads them: parseConfig's problems, one line each, for the tests of src/config/. */
import type { ExecutionContext } from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { parseSource, type Source } from '../../src/sync/source.js';

export const FILE = '/etc/zbk.toml';

/** The lines of the ConfigError `text` gives (schedules checked when asked), or none. */
export async function problems(text: string, schedules = false, file = FILE): Promise<string[]> {
  try {
    await parseConfig(text, file, schedules);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

/** A job `a` on tank/a with an ssh source (or `source`), and `lines`. */
export const job = (lines: string, source = 'source = "vds:/"') => `[[job]]\nname = "a"\ndataset = "tank/a"\n${source}\n${lines}\n`;

/** Exactly one problem, for `key`, matching `why`. */
export async function refused(t: ExecutionContext, text: string, key: string, why: RegExp): Promise<void> {
  const found = await problems(text);
  t.is(found.length, 1, `${text}\n→ ${found.join('\n')}`);
  t.true(found[0]?.startsWith(`${FILE}:`) && found[0].includes(` ${key}: `), `${found[0]} names ${key}`);
  t.regex(found[0] ?? '', why, text);
}

/** A job's `source` as the validated config carries it: parsed (a test's own text is a good one). */
export function parsedSource(text: string): Source {
  const s = parseSource(text);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

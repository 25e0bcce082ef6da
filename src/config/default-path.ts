/**
 * The configuration file when neither --config nor $ZBK_CONFIG names one: PREFIX/etc/zbk.toml,
 * where PREFIX is where zbk is installed. The installed program is PREFIX/libexec/zbk/zbk.mjs
 * (scripts/install.sh, the port), so PREFIX is read off its own path, and a package built
 * for another PREFIX needs no edit of the bundle. Run from a checkout (dist/, src/), it is
 * the FreeBSD default, /usr/local/etc/zbk.toml.
 */
import { fileURLToPath } from 'node:url';

const FALLBACK_PREFIX = '/usr/local';

/** PREFIX of a program at PREFIX/libexec/zbk/zbk.mjs, else null. */
export function installPrefix(programPath: string): string | null {
  const m = /^(\/.+)\/libexec\/zbk\/zbk\.mjs$/.exec(programPath);
  return m ? m[1]! : null;
}

export function defaultConfigFile(programPath: string): string {
  return `${installPrefix(programPath) ?? FALLBACK_PREFIX}/etc/zbk.toml`;
}

export const DEFAULT_CONFIG_FILE = defaultConfigFile(fileURLToPath(import.meta.url));

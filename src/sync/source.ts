/**
 * A job's `source`: where rsync pulls from.
 *
 *   /local/path/                                  local
 *   [user@]host:/path/                            over ssh (host may be [IPv6])
 *   rsync://[user@]host[:port]/module[/path]/     an rsync daemon
 *
 * zbk always copies the *contents* of the source directory into the dataset's mountpoint,
 * so every path is normalised to end in a slash. Paths must be absolute: a path relative
 * to a login's home or to zbk's working directory would change with the environment.
 * rsync's own `host::module` daemon syntax is refused with its rsync:// spelling, so that
 * a config has one way to say each thing (and a place for the port).
 *
 * A remote path (ssh or daemon) must name one directory, literally. The remote rsync expands
 * the wildcards `*`, `?` and `[` in it whatever the client does (with --secluded-args too),
 * and its glob reads a backslash as an escape: such a path could name other directories,
 * whose contents `--delete` would then mirror into the dataset. They are refused. What
 * the remote *shell* would read (spaces, quotes, `$`, ...) is kept literal by the argv
 * builder (args.ts: --protect-args).
 */
export type Source =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'ssh'; readonly user: string | null; readonly host: string; readonly path: string }
  | {
      readonly kind: 'daemon';
      readonly user: string | null;
      readonly host: string;
      readonly port: number | null;
      readonly module: string;
      /** Inside the module: '' for its root, else e.g. 'etc/'. */
      readonly path: string;
    };

const DAEMON = /^rsync:\/\/(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/]*)(?::(\d+))?(?:\/([^/]*)(?:\/(.*))?)?$/;
/** rsync's rule: a colon before any slash makes the argument remote; [IPv6] hides its colons. */
const REMOTE = /^(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/@[]*):(.*)$/;
const HOST = /^(?:\[[0-9A-Fa-f:.%\w-]+\]|[\w.-]+)$/;
/** Characters the remote rsync's glob reads as pattern or escape. */
const GLOB = /[*?[\]\\]/;

/** Parses a source; returns an error message (naming what was wrong) instead of throwing. */
export function parseSource(text: string): Source | string {
  if (text.trim() === '') return 'empty source';
  if (text.startsWith('rsync://')) return parseDaemon(text);
  if (text.startsWith('/')) return { kind: 'local', path: withSlash(text) };
  const remote = REMOTE.exec(text);
  if (!remote) {
    return /^[^/]*:/.test(text)
      ? `source "${text}" is not [user@]host:/path`
      : `source "${text}" is a relative path: write an absolute path (/...), host:/path for ssh, or rsync://host/module/ for an rsync daemon`;
  }
  const [, user, host = '', path = ''] = remote;
  if (path.startsWith(':')) {
    return `source "${text}" uses rsync's host::module syntax: write rsync://${user === undefined ? '' : `${user}@`}${host}/${path.slice(1)} instead`;
  }
  const problem = checkHost(text, host) ?? checkUser(text, user);
  if (problem) return problem;
  if (!path.startsWith('/')) return `source "${text}": the remote path "${path}" is not absolute (write ${host}:/path)`;
  return checkRemotePath(text, path) ?? { kind: 'ssh', user: user ?? null, host, path: withSlash(path) };
}

function parseDaemon(text: string): Source | string {
  const m = DAEMON.exec(text);
  if (!m) return `source "${text}" is not rsync://[user@]host[:port]/module/path`;
  const [, user, host = '', portText, module, path = ''] = m;
  const problem = checkHost(text, host) ?? checkUser(text, user);
  if (problem) return problem;
  if (!module) return `source "${text}" names no module: write rsync://${host}/module/`;
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (port < 1 || port > 65535)) return `source "${text}": port ${portText} is not from 1 to 65535`;
  const literal = checkRemotePath(text, `${module}/${path}`);
  if (literal) return literal;
  return { kind: 'daemon', user: user ?? null, host, port, module, path: path === '' ? '' : withSlash(path) };
}

function checkHost(text: string, host: string): string | null {
  if (host === '') return `source "${text}" names no host`;
  // A host starting with '-' would reach ssh as an option.
  if (host.startsWith('-') || !HOST.test(host)) return `source "${text}": "${host}" is not a host name or address`;
  return null;
}

function checkUser(text: string, user: string | undefined): string | null {
  if (user === undefined) return null;
  if (user === '' || /[\s:]/.test(user) || user.startsWith('-')) return `source "${text}": "${user}" is not a user name`;
  return null;
}

function checkRemotePath(text: string, path: string): string | null {
  if (!GLOB.test(path)) return null;
  return `source "${text}": the remote rsync would read *, ?, [, ] or \\ in "${path}" as a wildcard or escape, and it must name one directory as written`;
}

function withSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/** The source as rsync's command line spells it. */
export function sourceOperand(source: Source): string {
  const user = source.kind !== 'local' && source.user !== null ? `${source.user}@` : '';
  switch (source.kind) {
    case 'local':
      return source.path;
    case 'ssh':
      return `${user}${source.host}:${source.path}`;
    case 'daemon': {
      const port = source.port === null ? '' : `:${source.port}`;
      return `rsync://${user}${source.host}${port}/${source.module}/${source.path}`;
    }
  }
}

/**
 * The grammar of syslog.conf(5) as FreeBSD's syslogd(8) reads it: blocks of selector/action
 * lines after program (`!prog`), hostname (`+host`) or property (`:prop, op, "value"`)
 * specifications, and `include` lines. A snippet in syslog.d/ with a line syslogd cannot use is
 * skipped with only a note in the log, so its messages go nowhere: this checker says why.
 */
import { fieldsOf, type Problem } from './newsyslog-grammar.js';

const FACILITIES = new Set([
  'auth', 'authpriv', 'console', 'cron', 'daemon', 'ftp', 'kern', 'lpr', 'mail', 'mark', 'news', 'ntp',
  'security', 'syslog', 'user', 'uucp', ...Array.from({ length: 8 }, (_, i) => `local${i}`),
]);
const LEVELS = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);
const PROPERTIES = new Set(['msg', 'programname', 'hostname', 'source']);
const OPERATORS = new Set(['contains', 'isequal', 'startswith', 'regex', 'ereregex']);
const NAME_LIST = /^(?:\*|[A-Za-z0-9_./@-]+(?:,[A-Za-z0-9_./@-]+)*)$/;

/** Problems of one line of syslog.conf, [] when syslogd takes it. */
export function checkSyslogLine(line: string): string[] {
  const text = line.trim();
  if (text === '') return [];
  // `#!prog`, `#+host`, `#-host` and `#:` are the old spellings of the specifications.
  const spec = /^#?([!+:-])(.*)$/.exec(text);
  if (spec && (!text.startsWith('#') || /^#[!+:-]/.test(text))) return checkSpecification(spec[1]!, spec[2]!.trim());
  if (text.startsWith('#')) return [];
  const fields = fieldsOf(text);
  if (fields[0] === 'include') return fields.length === 2 && fields[1]!.startsWith('/') ? [] : ['include takes one absolute directory'];
  if (fields.length < 2) return ['a selector and an action, separated by tabs or spaces'];
  const [selector, ...action] = fields;
  return [...checkSelector(selector!), ...checkAction(action.join(' '))];
}

function checkSpecification(kind: string, value: string): string[] {
  if (kind === ':') return checkPropertyFilter(value);
  const list = kind === '!' ? value.replace(/^[+-]/, '') : value;
  if (!NAME_LIST.test(list)) return [`"${kind}${value}": a comma-separated list of ${kind === '!' ? 'programs' : 'hosts'}, or *`];
  return [];
}

function checkPropertyFilter(value: string): string[] {
  const m = /^([a-z]+)\s*,\s*(!?(?:icase_)?[a-z]+)\s*,\s*"((?:[^"\\]|\\.)*)"$/.exec(value);
  if (!m) return [`":${value}": a property filter is :property, operator, "value"`];
  const problems: string[] = [];
  if (!PROPERTIES.has(m[1]!)) problems.push(`property "${m[1]}" is not one of ${[...PROPERTIES].join(', ')}`);
  const op = m[2]!.replace(/^!/, '').replace(/^icase_/, '');
  if (!OPERATORS.has(op)) problems.push(`operator "${m[2]}" is not one of ${[...OPERATORS].join(', ')}`);
  return problems;
}

/** `facility[,facility...].[!][<=>]level` joined by `;`; `*` is every facility or level. */
export function checkSelector(selector: string): string[] {
  const problems: string[] = [];
  for (const part of selector.split(';')) {
    const dot = part.lastIndexOf('.');
    if (dot < 0) {
      problems.push(`selector "${part}" is facility.level`);
      continue;
    }
    for (const facility of part.slice(0, dot).split(',')) {
      if (facility !== '*' && !FACILITIES.has(facility.toLowerCase())) problems.push(`facility "${facility}" is not one syslogd knows`);
    }
    const level = /^!?[<=>]*(.*)$/.exec(part.slice(dot + 1))![1]!.toLowerCase();
    if (level !== '*' && level !== 'none' && !LEVELS.has(level)) problems.push(`level "${part.slice(dot + 1)}" is not one syslogd knows`);
  }
  return problems;
}

/** A file (`/path`, `-/path` without fsync), `@host[:port]`, `|command`, `*`, or users. */
export function checkAction(action: string): string[] {
  if (/^-?\/\S*$/.test(action)) return [];
  if (/^@(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::\d+)?$/.test(action)) return [];
  if (/^\|\s*\S/.test(action)) return [];
  if (action === '*') return [];
  if (/^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$/.test(action)) return [];
  return [`action "${action}" is not a /file, @host, |command, * or a list of users`];
}

/** Every problem of a syslog.conf file, with its line number. */
export function checkSyslogConf(text: string): Problem[] {
  return text.split('\n').flatMap((line, i) => checkSyslogLine(line).map((message) => ({ line: i + 1, message })));
}

/**
 * The grammar of newsyslog.conf(5), as FreeBSD's newsyslog(8) parses it (parse_file() in
 * newsyslog.c, parse8601() and parseDWM() in ptimes.c). newsyslog exits on the first line it
 * cannot parse, and with it the rotation of every log on the box: a snippet we install must
 * pass this check. Where newsyslog only warns, or quietly takes a strange value, this checker
 * is stricter and refuses.
 */

export interface Problem {
  readonly line: number;
  readonly message: string;
}

const COMPRESS_METHODS = new Set(['none', 'legacy', 'bzip2', 'gzip', 'xz', 'zstd']);
/** B C D G J N P R T U W X Y Z and the placeholder -, in either case (newsyslog lowercases). */
const FLAGS = /^[bcdgjnprtuwxyz-]+$/i;

/** Fields of a line: newsyslog strips from the first `#` not escaped as `\#`, then splits on blanks. */
export function fieldsOf(line: string): string[] {
  let text = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && i > 0) {
      if (text.endsWith('\\')) {
        text = `${text.slice(0, -1)}#`;
        continue;
      }
      break;
    }
    text += c;
  }
  return text.split(/[ \t]+/).filter(Boolean);
}

/** Problems of one line of newsyslog.conf, [] when newsyslog takes it. */
export function checkNewsyslogLine(line: string): string[] {
  if (line === '' || line.startsWith('#') || /^[ \t]*$/.test(line)) return [];
  const fields = fieldsOf(line);
  const [name] = fields;
  if (name === undefined) return [];
  if (/^<include>$/i.test(name)) return fields.length === 2 ? [] : ['<include> takes one file or pattern'];
  if (/^<compress>$/i.test(name)) {
    return fields.length === 2 && COMPRESS_METHODS.has(fields[1]!) ? [] : [`<compress> takes one of ${[...COMPRESS_METHODS].join(', ')}`];
  }
  if (name !== '<default>' && !name.startsWith('/')) return [`logfile_name "${name}" is not an absolute path or <default>`];
  let i = 1;
  // owner:group is the field that has a ':' (or, historically, a '.').
  if (fields[i] !== undefined && /[:.]/.test(fields[i]!)) {
    if (!/^[A-Za-z0-9_-]*[:.][A-Za-z0-9_-]*$/.test(fields[i]!)) return [`owner:group "${fields[i]}" is not user:group`];
    i++;
  }
  const [mode, count, size, when, flags, pidOrSignal, signal, ...rest] = fields.slice(i);
  if (when === undefined) return ['missing fields: mode, count, size and when are mandatory'];
  const problems: string[] = [];
  if (!/^[0-7]{3,4}$/.test(mode!)) problems.push(`mode "${mode}" is not an octal file mode`);
  if (!/^\d+$/.test(count!)) problems.push(`count "${count}" is not a number of archives`);
  if (!/^(\d+|\*)$/.test(size!)) problems.push(`size "${size}" is not kilobytes or *`);
  const whenProblem = checkWhen(when);
  if (whenProblem) problems.push(`when "${when}": ${whenProblem}`);
  if (flags !== undefined && !FLAGS.test(flags)) problems.push(`flags "${flags}" has a letter newsyslog does not know`);
  if (pidOrSignal !== undefined) {
    if (pidOrSignal.startsWith('/')) {
      if (signal !== undefined && !isSignal(signal)) problems.push(`signal "${signal}" is not a signal`);
    } else if (!isSignal(pidOrSignal)) {
      problems.push(`"${pidOrSignal}" is neither a pid file (starting with /) nor a signal`);
    } else if (signal !== undefined) {
      problems.push(`"${signal}" after the signal: too many fields`);
    }
  }
  if (rest.length > 0) problems.push(`too many fields: ${rest.join(' ')}`);
  return problems;
}

function isSignal(s: string): boolean {
  if (/^\d+$/.test(s)) return Number(s) >= 1 && Number(s) <= 127;
  return /^(SIG)?[A-Z]+[0-9]*$/i.test(s);
}

/**
 * The `when` field: `*`, or an interval in hours, optionally followed by `@` and a restricted
 * ISO 8601 time, or by `$` and a day, week or month specification. Returns why it is wrong, or null.
 */
export function checkWhen(when: string): string | null {
  const interval = /^\d*/.exec(when)![0];
  const rest = when.slice(interval.length);
  if (interval !== '' && Number(interval) > 2 ** 31 - 1) return 'the interval is too large';
  if (rest === '' || rest === '*') return null;
  if (rest.startsWith('@')) return checkIso8601(rest.slice(1));
  if (rest.startsWith('$')) return checkDayWeekMonth(rest.slice(1));
  return 'after the interval comes @ (an ISO 8601 time) or $ (day, week or month), nothing else';
}

/** `[[[[cc]yy]mm]dd][T[hh[mm[ss]]]]` after the `@`; missing date parts are today's, time parts zero. */
export function checkIso8601(s: string): string | null {
  const m = /^(\d*)(?:T(\d*))?$/.exec(s);
  if (!m) return 'an ISO 8601 time is [[[[cc]yy]mm]dd][T[hh[mm[ss]]]] (W, D and M belong after $, not @)';
  const date = m[1]!;
  const time = m[2] ?? '';
  if (![0, 2, 4, 6, 8].includes(date.length)) return `the date "${date}" is not dd, mmdd, yymmdd or ccyymmdd`;
  if (![0, 2, 4, 6].includes(time.length)) return `the time "${time}" is not hh, hhmm or hhmmss`;
  const d = date.padStart(8, '0');
  const [year, month, day] = [d.slice(0, 4), d.slice(4, 6), d.slice(6, 8)].map(Number) as [number, number, number];
  if (date.length === 8 && year < 1970) return 'the year is before 1970';
  if (date.length >= 4 && (month < 1 || month > 12)) return `month ${month} is not 1..12`;
  if (date.length >= 2 && (day < 1 || day > 31)) return `day ${day} is not 1..31`;
  const t = time.padEnd(6, '0');
  const [hh, mm, ss] = [t.slice(0, 2), t.slice(2, 4), t.slice(4, 6)].map(Number) as [number, number, number];
  if (hh > 23) return `hour ${hh} is not 0..23`;
  if (mm > 59) return `minute ${mm} is not 0..59`;
  if (ss > 60) return `second ${ss} is not 0..60`;
  return null;
}

/**
 * `D`hh, `W`w[`D`hh] or `M`dd[`D`hh] after the `$` (any order, each once, W and M not together).
 * newsyslog refuses `M` with a day the current month does not have, so $M29..$M31 would stop
 * newsyslog in shorter months: use `Ml` (the last day) instead.
 */
export function checkDayWeekMonth(s: string): string | null {
  if (s === '') return 'a day, week or month specification is D, W or M with a number';
  const items = /^(?:[DWM](?:\d+|[lL]))+$/.test(s) ? s.match(/[DWM](?:\d+|[lL])/g)! : null;
  if (!items) return 'a day, week or month specification is Dhh, Ww[Dhh] or Mdd[Dhh]';
  let day = false;
  let weekOrMonth = false;
  for (const item of items) {
    const [letter, value] = [item[0]!, item.slice(1)];
    if (letter === 'D') {
      if (day) return 'D is given twice';
      day = true;
      if (!/^\d+$/.test(value) || Number(value) > 23) return `D${value}: the hour is 0..23`;
    } else {
      if (weekOrMonth) return 'one W or M only';
      weekOrMonth = true;
      if (letter === 'W' && (!/^\d+$/.test(value) || Number(value) > 6)) return `W${value}: the day of the week is 0..6 (0 is Sunday)`;
      if (letter === 'M') {
        if (/^[lL]$/.test(value)) continue;
        const n = Number(value);
        if (n < 1 || n > 31) return `M${value}: the day of the month is 1..31 or L`;
        if (n > 28) return `M${value}: newsyslog refuses the line in a month without day ${n}; use ML for the last day`;
      }
    }
  }
  return null;
}

/** Every problem of a newsyslog.conf file, with its line number. */
export function checkNewsyslogConf(text: string): Problem[] {
  return text.split('\n').flatMap((line, i) => checkNewsyslogLine(line).map((message) => ({ line: i + 1, message })));
}

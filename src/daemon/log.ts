/**
 * The daemon's log: one line per event, `LEVEL: SUBJECT: MESSAGE`.
 *
 * Run by hand it goes to stderr. Under rc.d (`--syslog FACILITY`) each line goes to syslogd
 * through logger(1), at its own priority: daemon(8) -S hands every line it reads to syslog with
 * the one priority of its -s, so errors could not be told from the rest there. zbk has no other
 * way to syslog (node cannot send to the /var/run/log datagram socket without a native module);
 * logger(1) is in FreeBSD's base. What logger cannot take goes to stderr, which rc.d hands to
 * syslog at err.
 *
 * stderr may have no reader any more: daemon(8) of FreeBSD 13 exits as soon as it has passed
 * SIGTERM on, while zbk still stops its job. A write there then fails with EPIPE; the line is
 * lost and the daemon carries on (it used to die with exit 1 on the unhandled error).
 */
import { execFile } from 'node:child_process';
import { printable } from '../util/printable.js';

type Level = 'info' | 'warning' | 'error';

export type Log = (level: Level, subject: string | null, message: string) => void;

export interface LogSink {
  readonly log: Log;
  /** Resolves when every line so far has been handed on (before the daemon exits). */
  flush(): Promise<void>;
}

/** The facilities zbk daemon logs to (logger(1) of FreeBSD and of util-linux take them all). */
export const SYSLOG_FACILITIES: readonly string[] = ['daemon', 'user', ...Array.from({ length: 8 }, (_, i) => `local${i}`)];

const PRIORITY: Record<Level, string> = { info: 'info', warning: 'warning', error: 'err' };
const TAG = 'zbk';
const LOGGER_TIMEOUT_MS = 10_000;

const line = (level: Level, subject: string | null, message: string) =>
  `${level}: ${subject ? `${subject}: ` : ''}${printable(message.replace(/\n/g, ' | '))}`;

let stderrGone = false;
let stderrWatched = false;

function watchStderr(): void {
  if (stderrWatched) return;
  stderrWatched = true;
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stderrGone = true;
  });
}

const stderrLog: Log = (level, subject, message) => {
  if (!stderrGone) process.stderr.write(`${line(level, subject, message)}\n`);
};

function logger(facility: string, level: Level, text: string): Promise<void> {
  // `--`: a message is never an option; argv, never a shell.
  const argv = ['-p', `${facility}.${PRIORITY[level]}`, '-t', TAG, '--', text];
  return new Promise((resolve, reject) => {
    execFile('logger', argv, { timeout: LOGGER_TIMEOUT_MS }, (e, _stdout, stderr) => {
      // Its own words, else its exit status or why it did not start (ENOENT: not on PATH).
      if (e) reject(new Error(stderr.trim().split('\n')[0] || (typeof e.code === 'number' ? `exit ${e.code}` : String(e.code ?? e.message))));
      else resolve();
    });
  });
}

/**
 * Lines to syslog, in order (one logger(1) at a time); a line logger fails on goes to stderr.
 * `facility` is one of SYSLOG_FACILITIES (the command checks it).
 */
export function syslogSink(facility: string): LogSink {
  watchStderr();
  let chain = Promise.resolve();
  const log: Log = (level, subject, message) => {
    const text = line(level, subject, message);
    chain = chain.then(() =>
      logger(facility, level, text).catch((e: unknown) => {
        stderrLog(level, subject, message);
        stderrLog('error', 'syslog', `logger(1) failed: ${e instanceof Error ? e.message : String(e)}`);
      }),
    );
  };
  return { log, flush: () => chain };
}

export function stderrSink(): LogSink {
  watchStderr();
  return { log: stderrLog, flush: () => Promise.resolve() };
}

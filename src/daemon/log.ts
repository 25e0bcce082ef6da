/** The daemon's log: one line per event on stderr (daemon(8) -S hands it to syslog); controls from outside escaped. */
import { printable } from '../util/printable.js';

export type Level = 'info' | 'warning' | 'error';

export type Log = (level: Level, subject: string | null, message: string) => void;

export const stderrLog: Log = (level, subject, message) => {
  process.stderr.write(`${level}: ${subject ? `${subject}: ` : ''}${printable(message.replace(/\n/g, ' | '))}\n`);
};

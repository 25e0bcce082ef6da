/**
 * The newsyslog and syslog snippets zbk ships follow the grammars of newsyslog.conf(5) and
 * syslog.conf(5): a line newsyslog(8) cannot parse stops the rotation of every log on the box.
 * And they agree with each other: the file syslogd writes is the file newsyslog rotates.
 */
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { ROOT } from '../helpers/cli.js';
import { checkNewsyslogConf, fieldsOf } from './newsyslog-grammar.js';
import { checkSyslogConf } from './syslog-grammar.js';

const NEWSYSLOG = `${ROOT}etc/newsyslog.conf.d/zbk.conf`;
const SYSLOG = `${ROOT}etc/syslog.d/zbk.conf`;

const entries = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(fieldsOf);

test('etc/newsyslog.conf.d/zbk.conf follows newsyslog.conf(5)', async (t) => {
  const text = await readFile(NEWSYSLOG, 'utf8');
  t.deepEqual(checkNewsyslogConf(text), []);
  t.is(entries(text).length, 1, 'one log');
});

test('etc/syslog.d/zbk.conf follows syslog.conf(5), and ends its program block', async (t) => {
  const text = await readFile(SYSLOG, 'utf8');
  t.deepEqual(checkSyslogConf(text), []);
  const lines = entries(text).map((f) => f.join(' '));
  t.is(lines[0], '!zbk', 'selects the messages tagged zbk (daemon(8) -T zbk in rc.d/zbk)');
  t.is(lines.at(-1), '!*', 'resets the program filter for the snippets included after it');
});

test('newsyslog rotates the file that syslogd writes, weekly, creating it (C), signalling syslogd', async (t) => {
  const [rotation] = entries(await readFile(NEWSYSLOG, 'utf8'));
  const written = entries(await readFile(SYSLOG, 'utf8')).filter((f) => f.length === 2).map((f) => f[1]!.replace(/^-/, ''));
  t.deepEqual(written, [rotation![0]]);
  t.regex(rotation![4]!, /^\$W\dD\d+$/, 'the when field is a weekly $W..D..');
  t.regex(rotation![5]!, /C/);
  t.is(rotation!.length, 6, 'no pid file: newsyslog signals syslogd, which reopens the file');
});

test('rc.d/zbk and zbk daemon --syslog tag their lines as the syslog snippet expects', async (t) => {
  t.regex(await readFile(`${ROOT}rc.d/zbk`, 'utf8'), /command_args="[^"]*-l daemon -s err -T \$\{name\}/);
  t.regex(await readFile(`${ROOT}src/daemon/log.ts`, 'utf8'), /^const TAG = 'zbk';$/m);
  t.regex(await readFile(`${ROOT}rc.d/zbk`, 'utf8'), /^name="zbk"$/m);
});

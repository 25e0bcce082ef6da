/**
 * The newsyslog.conf(5) checker against the lines of the manual page and of FreeBSD's own
 * /etc/newsyslog.conf (known good), and against lines newsyslog(8) exits on (known bad), among
 * them the `@W0D0` that zbk once shipped.
 */
import test from 'ava';
import { checkDayWeekMonth, checkIso8601, checkNewsyslogConf, checkNewsyslogLine, checkWhen, fieldsOf } from './newsyslog-grammar.js';

test('the when examples of newsyslog.conf(5) are good', (t) => {
  // "rotate every night at midnight", "every day at 23:00", "every week on Sunday at 23:00", ...
  for (const when of ['$D0', '$D23', '$W0D23', '$W5D16', '$M1D0', '$M5D6', '@T00', '@T23', '@01T00', '@05T06', '*', '24', '168@T00', '1$D0', '$ML', '$MLD23', '$D6W0']) {
    t.is(checkWhen(when), null, when);
  }
  // "if today is January 22, 1999, the following date specifications are all equivalent"
  for (const iso of ['19990122T000000', '990122T000000', '0122T000000', '22T000000', 'T000000', 'T0000', 'T00', '22T', 'T', '']) {
    t.is(checkIso8601(iso), null, iso);
  }
});

test('when fields newsyslog exits on are refused, saying why', (t) => {
  t.regex(checkIso8601('W0D0') ?? '', /W, D and M belong after \$/, 'the @W0D0 zbk once shipped');
  t.regex(checkWhen('@W0D0') ?? '', /after \$, not @/);
  t.regex(checkWhen('W0D0') ?? '', /after the interval comes @ .* or \$/);
  t.regex(checkWhen('24h') ?? '', /after the interval/);
  t.regex(checkWhen('$') ?? '', /D, W or M/);
  t.regex(checkWhen('$D24') ?? '', /hour is 0\.\.23/);
  t.regex(checkWhen('$W7') ?? '', /day of the week is 0\.\.6/);
  t.regex(checkWhen('$M0') ?? '', /1\.\.31 or L/);
  t.regex(checkWhen('$M32') ?? '', /1\.\.31 or L/);
  t.regex(checkWhen('$W0M1') ?? '', /one W or M only/);
  t.regex(checkWhen('$D1D2') ?? '', /D is given twice/);
  t.regex(checkWhen('$X1') ?? '', /Dhh, Ww\[Dhh\] or Mdd\[Dhh\]/);
  t.regex(checkWhen('@T24') ?? '', /hour 24/);
  t.regex(checkWhen('@T0060') ?? '', /minute 60/);
  t.regex(checkWhen('@1301T') ?? '', /month 13/);
  t.regex(checkWhen('@0132T') ?? '', /day 32/);
  t.regex(checkWhen('@123T') ?? '', /date "123"/);
  t.regex(checkWhen('@T1') ?? '', /time "1"/);
  t.regex(checkWhen('@19690101T') ?? '', /before 1970/);
  t.regex(checkWhen('99999999999') ?? '', /too large/);
});

test('a day of the month that not every month has stops newsyslog in the shorter months', (t) => {
  t.regex(checkDayWeekMonth('M31') ?? '', /use ML for the last day/);
  t.regex(checkDayWeekMonth('M29D0') ?? '', /without day 29/);
  t.is(checkDayWeekMonth('M28'), null);
});

test('FreeBSD\'s own /etc/newsyslog.conf is good', (t) => {
  const conf = [
    '# logfilename          [owner:group]    mode count size when  flags [/pid_file] [sig_num]',
    '/var/log/all.log\t\t\t600  7\t   *\t@T00  J',
    '/var/log/auth.log\t\t\t600  7     1000 @0101T JC',
    '/var/log/console.log\t\t\t600  5\t   1000\t*     J',
    '/var/log/maillog\t\t\t640  7\t   *\t@T00  JC',
    '/var/log/monthly.log\t\t\t640  12\t   *\t$M1D0 JN',
    '/var/log/utx.log\t\t\t644  3\t   *\t@01T05 B',
    '/var/log/weekly.log\t\t\t640  5\t   *\t$W6D0 JN',
    '',
    '<include> /etc/newsyslog.conf.d/[!.]*.conf',
    '<include> /usr/local/etc/newsyslog.conf.d/[!.]*.conf',
    '<compress> zstd',
    '/var/log/ppp.log root:network 640 3 100 * JC',
    '/var/log/named.log bind: 640 5 * $D0 JC /var/run/named/pid 30',
    '/var/log/x.log 644 3 100 * - /var/run/x.pid SIGUSR1',
    '/var/log/y.log 644 3 100 * N 30',
    '<default> 644 3 100 * J',
  ].join('\n');
  t.deepEqual(checkNewsyslogConf(conf), []);
});

test('lines newsyslog exits on are refused with their line number', (t) => {
  t.deepEqual(checkNewsyslogConf('# zbk\n/var/log/zbk.log\t\t\t640  8\t   *\t@W0D0\tJC\n'), [
    { line: 2, message: 'when "@W0D0": an ISO 8601 time is [[[[cc]yy]mm]dd][T[hh[mm[ss]]]] (W, D and M belong after $, not @)' },
  ]);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 8 *'), ['missing fields: mode, count, size and when are mandatory']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 999 8 * *'), ['mode "999" is not an octal file mode']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 x * *'), ['count "x" is not a number of archives']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 8 1M *'), ['size "1M" is not kilobytes or *']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 8 * * JCF'), ['flags "JCF" has a letter newsyslog does not know']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 8 * * J var/run/x.pid'), ['"var/run/x.pid" is neither a pid file (starting with /) nor a signal']);
  t.deepEqual(checkNewsyslogLine('/var/log/a.log 640 8 * * J /var/run/x.pid 30 extra'), ['too many fields: extra']);
  t.deepEqual(checkNewsyslogLine('var/log/a.log 640 8 * *'), ['logfile_name "var/log/a.log" is not an absolute path or <default>']);
  t.deepEqual(checkNewsyslogLine('<compress> lzma'), ['<compress> takes one of none, legacy, bzip2, gzip, xz, zstd']);
});

test('a # starts a comment unless it is escaped as \\#', (t) => {
  t.deepEqual(fieldsOf('/var/log/a.log 640 8 * @T00 J # rotated at midnight'), ['/var/log/a.log', '640', '8', '*', '@T00', 'J']);
  t.deepEqual(fieldsOf('/var/log/a\\#b.log 640'), ['/var/log/a#b.log', '640']);
  t.deepEqual(checkNewsyslogLine('# /var/log/a.log 640 8 * @W0D0 J'), []);
});

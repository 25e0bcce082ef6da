/**
 * The syslog.conf(5) checker against the examples of the manual page and FreeBSD's own
 * /etc/syslog.conf (known good), and against lines syslogd(8) cannot use (known bad).
 */
import test from 'ava';
import { checkAction, checkSelector, checkSyslogConf, checkSyslogLine } from './syslog-grammar.js';

test('the examples of syslog.conf(5) and FreeBSD\'s /etc/syslog.conf are good', (t) => {
  const conf = [
    '# Log all kernel messages, authentication messages of',
    '*.err;kern.*;auth.notice;authpriv.none;mail.crit\t/dev/console',
    '*.info;mail.none;authpriv.none\t\t/var/log/messages',
    'daemon.=debug\t\t\t\t\t\t/var/log/daemon.debug',
    '*.emerg\t\t\t\t\t\t\t*',
    '*.emerg\t\t\t\t\t\t\t@arpa.berkeley.edu',
    '*.alert\t\t\t\t\t\t\troot,eric',
    'uucp,news.crit\t\t\t\t\t\t/var/log/spoolerr',
    'auth.*\t\t\t\t\t|exec /usr/local/sbin/authfilter',
    '!ftpd',
    '*.*\t\t\t\t\t\t\t/var/log/spoolerr',
    '!ipfw',
    '*.*\t\t\t\t\t\t\t-/var/log/ipfw',
    ':msg, contains, ".*Deny.*"',
    '!*',
    ':programname, regex, "^bird6?$"',
    ':hostname, icase_ereregex, "^server-(dcA|podB|cdn)-rack1[0-9]{2}\\\\..*"',
    '!-devd',
    '*.=debug\t\t\t\t\t/var/log/debug.log',
    '# !devd',
    '# *.>=notice\t\t\t\t\t/var/log/devd.log',
    '#!zbk',
    '+@',
    '-dialhost,otherhost',
    '*.*\t@[2001:db8::1]:5514',
    'include\t\t\t\t\t\t/usr/local/etc/syslog.d',
  ].join('\n');
  t.deepEqual(checkSyslogConf(conf), []);
});

test('lines syslogd cannot use are refused, saying why', (t) => {
  t.deepEqual(checkSyslogLine('daemon.info'), ['a selector and an action, separated by tabs or spaces']);
  t.deepEqual(checkSelector('daemon'), ['selector "daemon" is facility.level']);
  t.deepEqual(checkSelector('deamon.info'), ['facility "deamon" is not one syslogd knows']);
  t.deepEqual(checkSelector('daemon.information'), ['level "information" is not one syslogd knows']);
  t.deepEqual(checkAction('var/log/zbk.log'), ['action "var/log/zbk.log" is not a /file, @host, |command, * or a list of users']);
  t.deepEqual(checkSyslogLine('!zbk daemon'), ['"!zbk daemon": a comma-separated list of programs, or *']);
  t.deepEqual(checkSyslogLine(':msg, has, "x"'), ['operator "has" is not one of contains, isequal, startswith, regex, ereregex']);
  t.deepEqual(checkSyslogLine(':body, contains, "x"'), ['property "body" is not one of msg, programname, hostname, source']);
  t.deepEqual(checkSyslogLine(':msg, contains, x'), ['":msg, contains, x": a property filter is :property, operator, "value"']);
  t.deepEqual(checkSyslogLine('include etc/syslog.d'), ['include takes one absolute directory']);
  t.deepEqual(checkSyslogConf('!zbk\n*.*\tvar/log/zbk.log\n'), [
    { line: 2, message: 'action "var/log/zbk.log" is not a /file, @host, |command, * or a list of users' },
  ]);
});

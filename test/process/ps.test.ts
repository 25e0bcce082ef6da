/** ps(1) as zbk reads it: the line parser, variable words, command lines, and the real ps of this machine. */
import test from 'ava';
import { execa } from 'execa';
import { commandLine, hasVariable, looksStartedWith, parsePsLine, processTable } from '../../src/process/ps.js';

test('a line: pid, group, state (zombie or not), then command and environment', (t) => {
  // procps pads the state column; FreeBSD's ps pads the numbers.
  t.deepEqual(parsePsLine('15370 15366 S    rsync -aH /src/ /dst/ ZBK_RUN_ID=ab LANG=C'), {
    pid: 15370, pgid: 15366, zombie: false, text: 'rsync -aH /src/ /dst/ ZBK_RUN_ID=ab LANG=C',
  });
  t.deepEqual(parsePsLine('  812   811 Ss   sh -c echo'), { pid: 812, pgid: 811, zombie: false, text: 'sh -c echo' });
  t.like(parsePsLine('  900   811 Z+   <defunct>'), { zombie: true, text: '<defunct>' });
  t.like(parsePsLine('  901   811 Z'), { zombie: true, text: '' });
  t.is(parsePsLine(''), null);
  t.is(parsePsLine('  PID  PGID STAT COMMAND'), null);
});

test('a variable is a whole word: a longer value, a longer name or a mention inside an argument is not it', (t) => {
  const id = 'ab'.repeat(16);
  t.true(hasVariable(`rsync -aH ZBK_RUN_ID=${id}`, 'ZBK_RUN_ID', id));
  t.true(hasVariable(`ZBK_RUN_ID=${id} LANG=C`, 'ZBK_RUN_ID', id));
  t.false(hasVariable(`rsync ZBK_RUN_ID=${id}0`, 'ZBK_RUN_ID', id));
  t.false(hasVariable(`rsync XZBK_RUN_ID=${id}`, 'ZBK_RUN_ID', id));
  t.false(hasVariable(`grep --ZBK_RUN_ID=${id}`, 'ZBK_RUN_ID', id));
  t.true(hasVariable(`grep x=ZBK_RUN_ID=${id} ZBK_RUN_ID=${id}`, 'ZBK_RUN_ID', id), 'found after a mention');
});

test('a command line started with given arguments: their words in order, whatever ps makes of the rest', (t) => {
  const args = ['cli.js', 'run', '--config', '/usr/local/etc/zbk été.toml'];
  t.true(looksStartedWith('node /usr/local/libexec/zbk/cli.js run --config /usr/local/etc/zbk ??t??.toml', args), 'procps: ? for each byte');
  t.true(looksStartedWith('node /usr/local/libexec/zbk/cli.js run --config /usr/local/etc/zbk \\M-C\\M-)t\\M-C\\M-).toml', args), 'FreeBSD: vis(3) escapes');
  t.false(looksStartedWith('/usr/sbin/sshd -D', args));
  t.false(looksStartedWith('node cli.js --config /usr/local/etc/zbk t.toml run', args), 'out of order');
});

test('the real ps: this process with its environment, the probe, a pid that runs and one that does not', async (t) => {
  const table = (await processTable())!;
  t.true(table.environments, 'this ps shows environments');
  const me = table.procs.find((p) => p.pid === process.pid)!;
  t.true(hasVariable(me.text, 'PATH', process.env.PATH!));
  t.true(table.procs.every((p) => Number.isInteger(p.pgid)));
  t.true(looksStartedWith((await commandLine(process.pid))!, process.argv.slice(1)));
  const gone = execa('true');
  await gone;
  t.is(await commandLine(gone.pid!), null);
});

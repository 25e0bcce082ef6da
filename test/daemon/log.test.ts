/** The daemon's log lines: `LEVEL: SUBJECT: MESSAGE`, one line each, to stderr or through logger(1). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { stderrSink, syslogSink, SYSLOG_FACILITIES } from '../../src/daemon/log.js';
import { runCommand } from '../helpers/command.js';

test.serial('to stderr: one line an event; a message of several lines stays one, controls escaped', async (t) => {
  const r = await runCommand(t, async () => {
    const { log, flush } = stderrSink();
    log('info', 'job web', 'started');
    log('warning', null, 'two\nlines');
    log('error', 'job mail', 'rsync said \u001b[2J');
    await flush();
    return 0;
  }, undefined);
  t.deepEqual(r.stderr.split('\n'), ['info: job web: started', 'warning: two | lines', String.raw`error: job mail: rsync said \x1b[2J`, '']);
  t.is(r.stdout, '');
});

test.serial('through logger(1): when it cannot run, each line goes to stderr in order, with why, and flush waits for all', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'zbk-log-'));
  t.teardown(() => rm(empty, { recursive: true, force: true }));
  const path = process.env.PATH;
  process.env.PATH = empty; // no logger(1) here
  t.teardown(() => {
    process.env.PATH = path;
  });
  const r = await runCommand(t, async () => {
    const { log, flush } = syslogSink('daemon');
    log('info', 'job web', 'started');
    log('error', 'job web', 'failed');
    await flush();
    return 0;
  }, undefined);
  t.deepEqual(r.stderr.split('\n'), [
    'info: job web: started', 'error: syslog: logger(1) failed: ENOENT',
    'error: job web: failed', 'error: syslog: logger(1) failed: ENOENT', '',
  ]);
});

test('the facilities logger(1) takes on FreeBSD and Linux alike', (t) => {
  t.deepEqual(SYSLOG_FACILITIES, ['daemon', 'user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);
});

/**
 * The daemon's signals, sent to this very process (ava runs each test file in a process of its
 * own): a SIGHUP before the daemon can reload is kept; the first SIGTERM or SIGINT stops it, and
 * neither a second one nor a SIGHUP kills the process, as their default actions would.
 */
import test from 'ava';
import { DaemonSignals } from '../../src/daemon/signals.js';

const until = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
};

test.serial('SIGHUP kept until the daemon can reload, then each one reloads; SIGTERM stops, a second stop signal changes nothing', async (t) => {
  const signals = new DaemonSignals();
  let reloads = 0;
  process.kill(process.pid, 'SIGHUP');
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(signals.stopping, null);
  signals.onReload(() => reloads++);
  t.is(reloads, 1, 'the early SIGHUP, acted on once it can be');
  process.kill(process.pid, 'SIGHUP');
  await until(() => reloads === 2);
  t.is(reloads, 2);
  process.kill(process.pid, 'SIGTERM');
  await until(() => signals.stopping !== null); // a signal keeps no timer: wait on one
  t.is(await signals.stopped, 'SIGTERM');
  t.is(signals.stopping, 'SIGTERM');
  process.kill(process.pid, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(signals.stopping, 'SIGTERM', 'the first one counts');
  t.is(reloads, 2);
});

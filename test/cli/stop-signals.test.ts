import test from 'ava';
import { stopOnSignals } from '../../src/cli/stop-signals.js';

test('the first SIGINT or SIGTERM aborts with an Error named after it and says what that means; a second changes nothing', (t) => {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
  try {
    const signal = stopOnSignals('stopping the running pull');
    t.false(signal.aborted);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    t.true(signal.aborted);
    t.is((signal.reason as Error).message, 'SIGTERM');
    t.deepEqual(written, ['zbk: SIGTERM: stopping the running pull\n']);
  } finally {
    process.stderr.write = write;
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(name)) if (!before[name].includes(l)) process.off(name, l);
    }
  }
});

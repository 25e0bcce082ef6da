import test from 'ava';
import fc from 'fast-check';
import { ALERTS, atLeast, severity, worstAlert } from '../../src/health/alert.js';
import { holds } from './builders.js';

test('unknown ranks between warning and critical', (t) => {
  t.deepEqual([...ALERTS].sort((a, b) => severity(a) - severity(b)), ['ok', 'warning', 'unknown', 'critical']);
  t.is(worstAlert(['warning', 'unknown']), 'unknown');
  t.is(worstAlert(['unknown', 'critical', 'ok']), 'critical');
});

test('no alerts at all is ok', (t) => {
  t.is(worstAlert([]), 'ok');
});

test('atLeast compares by severity', (t) => {
  t.true(atLeast('critical', 'warning'));
  t.true(atLeast('warning', 'warning'));
  t.false(atLeast('ok', 'warning'));
});

test('the worst alert is one of the alerts and at least as severe as each', (t) => {
  holds(
    t,
    fc.property(fc.array(fc.constantFrom(...ALERTS), { minLength: 1 }), (alerts) => {
      const worst = worstAlert(alerts);
      return alerts.includes(worst) && alerts.every((a) => atLeast(worst, a));
    }),
  );
});

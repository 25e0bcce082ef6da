import test from 'ava';
import fc from 'fast-check';
import { ALERTS, nagiosExitCode, severity, worstAlert, type Alert } from '../../src/health/alert.js';
import { holds } from './builders.js';

test('unknown ranks between warning and critical', (t) => {
  t.deepEqual([...ALERTS].sort((a, b) => severity(a) - severity(b)), ['ok', 'warning', 'unknown', 'critical']);
  t.is(worstAlert(['warning', 'unknown']), 'unknown');
  t.is(worstAlert(['unknown', 'critical', 'ok']), 'critical');
});

test('no alerts at all is ok', (t) => {
  t.is(worstAlert([]), 'ok');
});

test('the worst alert is one of the alerts and at least as severe as each', (t) => {
  holds(
    t,
    fc.property(fc.array(fc.constantFrom(...ALERTS), { minLength: 1 }), (alerts) => {
      const worst = worstAlert(alerts);
      return alerts.includes(worst) && alerts.every((a) => severity(worst) >= severity(a));
    }),
  );
});

test('exit codes follow the Nagios plugin convention', (t) => {
  const codes: ReadonlyArray<readonly [Alert, ReturnType<typeof nagiosExitCode>]> = [
    ['ok', 0],
    ['warning', 1],
    ['critical', 2],
    ['unknown', 3],
  ];
  for (const [alert, code] of codes) t.is(nagiosExitCode(alert), code);
});

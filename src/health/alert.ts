/**
 * Alert levels, least to most severe. `unknown` ranks above `warning`: output zbk could not read
 * may hide anything short of what it did read as critical, so it is never reported as less.
 */
export type Alert = 'ok' | 'warning' | 'unknown' | 'critical';

export const ALERTS: readonly Alert[] = ['ok', 'warning', 'unknown', 'critical'];

export function severity(alert: Alert): number {
  return ALERTS.indexOf(alert);
}

/** The most severe of the alerts; `ok` for none. */
export function worstAlert(alerts: Iterable<Alert>): Alert {
  let worst: Alert = 'ok';
  for (const a of alerts) if (severity(a) > severity(worst)) worst = a;
  return worst;
}

const EXIT: Readonly<Record<Alert, 0 | 1 | 2 | 3>> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/** The Nagios plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export function nagiosExitCode(alert: Alert): 0 | 1 | 2 | 3 {
  return EXIT[alert];
}

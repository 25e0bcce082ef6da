/** Exit codes (CONTRACT.md). */
export const EXIT = {
  ok: 0,
  warning: 1,
  failed: 2,
  unknown: 3,
  usage: 64,
  locked: 75,
  config: 78,
} as const;

/** Nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export const NAGIOS = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

/** Exit codes (zbk(8)). */
export const EXIT = {
  ok: 0,
  warning: 1,
  failed: 2,
  unknown: 3,
  usage: 64,
  locked: 75,
  config: 78,
} as const;

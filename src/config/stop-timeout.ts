/**
 * One number that rc.d/zbk and zbk agree on: how long `service zbk stop` waits for zbk daemon.
 * rc.subr(8) alone would wait without limit (wait_for_pids), and at shutdown rc.shutdown(8) gives
 * all services together rcshutdown_timeout (90 s by default) before init(8) kills what is left;
 * rc.d/zbk therefore waits RC_STOP_WAIT_S (its zbk_stop_wait; a test holds the two equal).
 *
 * After stop_timeout zbk daemon still has to stop the pull: rsync gets SIGTERM, and SIGKILL 10 s
 * later, then the job's state is written. So stop_timeout may be at most RC_STOP_WAIT_S minus
 * STOP_GRACE_S, and configtest refuses a longer one.
 */
import { durationMs, type Duration } from '../util/duration.js';

export const RC_STOP_WAIT_S = 80;
export const STOP_GRACE_S = 15;
export const MAX_STOP_TIMEOUT_S = RC_STOP_WAIT_S - STOP_GRACE_S;

/** Why `stop_timeout` does not fit what rc.d waits (an empty list when it does). */
export function stopTimeoutProblems(stopTimeout: Duration): string[] {
  if (durationMs(stopTimeout) <= MAX_STOP_TIMEOUT_S * 1000) return [];
  return [
    `"${stopTimeout.text}" is longer than ${MAX_STOP_TIMEOUT_S}s: the rc.d service waits ${RC_STOP_WAIT_S} s for zbk daemon ` +
      `to stop, and stopping a pull after stop_timeout takes up to ${STOP_GRACE_S} s more`,
  ];
}

/**
 * What an rsync exit means for the night's backup. A failed pull takes no snapshot.
 *
 * - 0 is ok.
 * - 24 (source files vanished while rsync ran) and 23 (partial transfer) are warnings
 *   when rsync complained of nothing but vanished files (a live system's temp files come
 *   and go); 23 needs at least one such complaint. Any other complaint makes them
 *   failures: rsync exits 24, not 23, even when a vanished file comes with a real error
 *   (fixtures/rsync/vanished-and-missing.stderr).
 * - A signal, and everything else, is a failure. The message gives the code's meaning
 *   (rsync(1), EXIT VALUES) and rsync's own last words.
 */
export type Outcome = 'ok' | 'warning' | 'failed';

interface Verdict {
  readonly outcome: Outcome;
  readonly message: string;
}

const MEANING: Readonly<Record<number, string>> = {
  1: 'syntax or usage error',
  2: 'protocol incompatibility',
  3: 'errors selecting input/output files, directories',
  4: 'requested action not supported',
  5: 'error starting client-server protocol',
  10: 'error in socket I/O',
  11: 'error in file I/O',
  12: 'error in rsync protocol data stream',
  13: 'errors with program diagnostics',
  14: 'error in IPC code',
  15: 'sibling process crashed',
  16: 'sibling process was killed by a signal',
  19: 'received SIGUSR1',
  20: 'received SIGINT, SIGTERM, or SIGHUP',
  21: 'some error returned by waitpid()',
  22: 'error allocating core memory buffers',
  23: 'partial transfer due to error',
  24: 'partial transfer due to vanished source files',
  25: 'the --max-delete limit stopped deletions',
  30: 'timeout in data send/receive',
  35: 'timeout waiting for daemon connection',
  // The remote shell's own codes, as rsync passes them on (rsync's errcode.h).
  124: 'remote shell failed',
  125: 'remote shell killed',
  126: 'remote command could not be run',
  127: 'remote command not found',
  255: 'unexplained error',
};

const VANISHED = /^(?:file|directory) has vanished: /;
/** rsync's closing line, `rsync error: ... (code 23) at main.c(1394) [sender=3.5.0]`: the code's meaning says the same. */
const CLOSING = /^rsync (?:error|warning): .*\(code \d+\) at \S+ \[[\w.=-]+\]$/;
/** How many of rsync's last complaints a message quotes. */
const QUOTED_LINES = 3;

/** Classifies an rsync exit: `code` is null when a signal ended it. */
export function classifyRsyncExit(code: number | null, signal: string | null, stderr: string): Verdict {
  if (code === null) return interrupted(`killed by ${signal ?? 'a signal'}`);
  if (code === 0) return { outcome: 'ok', message: 'rsync completed' };
  const complaints = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !CLOSING.test(l));
  const onlyVanished = complaints.every((l) => VANISHED.test(l)) && (code === 24 || complaints.length > 0);
  const outcome = (code === 23 || code === 24) && onlyVanished ? 'warning' : 'failed';
  const said = complaints.slice(-QUOTED_LINES).join('; ');
  const verb = outcome === 'warning' ? 'completed' : 'failed';
  return { outcome, message: `rsync ${verb} with code ${code} (${MEANING[code] ?? 'unknown code'})${said ? `: ${said}` : ''}` };
}

/** A run that zbk or a signal stopped: always a failure. */
export function interrupted(reason: string): Verdict {
  return { outcome: 'failed', message: `rsync was interrupted: ${reason}` };
}

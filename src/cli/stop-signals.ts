/**
 * SIGINT and SIGTERM for a command that runs one long transfer after another (`zbk run`,
 * `zbk replicate`): the first stops the running one, through the signal returned, and says on
 * stderr what that means; a second changes nothing. `on`, not `once`: see src/commands/daemon.ts.
 */
export function stopOnSignals(saying: string): AbortSignal {
  const abort = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) return;
    process.stderr.write(`zbk: ${signal}: ${saying}\n`);
    abort.abort(new Error(signal));
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  return abort.signal;
}

/**
 * The daemon's signals, listened to from its first line, before the config is read and before a
 * catch-up job starts. Until then SIGHUP would kill node (its default action), and once a job has
 * spawned a child, execa's exit hook, finding itself the only listener, re-raises SIGTERM and kills
 * zbk at once: the running pull would not get its stop_timeout.
 *
 * A SIGHUP before the daemon can reload is kept and acted on once it can (the file may have
 * changed after it was read). The first SIGTERM or SIGINT resolves `stopped`; the listeners stay,
 * so that a second one is not the default action either.
 */
export class DaemonSignals {
  /** The first SIGTERM or SIGINT. */
  readonly stopped: Promise<NodeJS.Signals>;
  private stopSignal: NodeJS.Signals | null = null;
  private reload: (() => void) | null = null;
  private reloadPending = false;

  constructor() {
    process.on('SIGHUP', () => {
      if (this.reload) this.reload();
      else this.reloadPending = true;
    });
    this.stopped = new Promise((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        this.stopSignal ??= signal;
        resolve(signal);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  }

  /** The stop signal, if one came. */
  get stopping(): NodeJS.Signals | null {
    return this.stopSignal;
  }

  /** From now on SIGHUP calls `reload`; a SIGHUP that came before calls it now. */
  onReload(reload: () => void): void {
    this.reload = reload;
    if (this.reloadPending) {
      this.reloadPending = false;
      reload();
    }
  }
}

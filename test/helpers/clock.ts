/**
 * A clock for tests that moves only when told: its time and its timers advance together, so a
 * schedule of seconds or hours runs in no real time, in a fixed order. What it drives must take
 * it as its clock and its timers (the daemon's Scheduler does).
 */
import type { Timers } from '../../src/daemon/scheduler.js';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets every promise that can settle now settle (the microtasks run before the next macrotask). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

export class ManualClock {
  private at: number;
  private pending: Pending[] = [];
  private ids = 0;

  constructor(start: Date) {
    this.at = start.getTime();
  }

  readonly now = (): Date => new Date(this.at);

  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++this.ids;
      this.pending.push({ id, due: this.at + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (id) => {
      this.pending = this.pending.filter((p) => p.id !== id);
    },
  };

  /** Resolves when the clock has been advanced `ms` past now. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.setTimeout(resolve, ms));
  }

  /** Moves the time on by `ms`, firing each timer that falls due on the way at its own time, earliest first. */
  async advance(ms: number): Promise<void> {
    const end = this.at + ms;
    await settle();
    for (;;) {
      const next = this.pending.filter((p) => p.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.at = Math.max(this.at, next.due);
      next.fn();
      await settle();
    }
    this.at = end;
  }
}

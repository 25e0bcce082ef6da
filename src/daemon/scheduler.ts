/**
 * The daemon's scheduler: named tasks, each with a cron expression, run one at a time from a
 * queue. A task already queued or running is not queued again, so a job never runs twice at
 * once. The timer sleeps at most a minute at a time, so that a clock that jumps (NTP, a
 * resumed VM) is noticed. Work that has no schedule of its own (a replication right after a
 * job's run) is only ever enqueued. The daemon runs two schedulers side by side, one for the
 * jobs and one for the replications, so that neither waits for the other.
 */
import { localTime, nextFire } from './schedule.js';
import type { Log } from './log.js';

/** Work the scheduler can run: queued by id, never twice at once. */
export interface Runnable {
  readonly id: string;
  run(signal: AbortSignal): Promise<void>;
}

export interface Task extends Runnable {
  readonly schedule: string;
}

const MAX_SLEEP_MS = 60_000;

/** How the scheduler waits: the system's timers, or a test's, which move with its clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_TIMERS: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

export class Scheduler {
  private tasks: readonly Task[] = [];
  private timeZone = 'UTC';
  private next = new Map<string, Date>();
  private queue: Runnable[] = [];
  private running: { task: Runnable; abort: AbortController; done: Promise<void> } | null = null;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly log: Log,
    private readonly clock: () => Date = () => new Date(),
    private readonly timers: Timers = SYSTEM_TIMERS,
    /** What stopping a task at stop_timeout leaves, for the log. */
    private readonly interrupted = 'no snapshot of an interrupted pull',
  ) {}

  /** Takes a new set of tasks (at start and on reload); a queued or running task carries on. */
  setTasks(tasks: readonly Task[], timeZone: string): void {
    this.tasks = tasks;
    this.timeZone = timeZone;
    const now = this.clock();
    this.next = new Map(tasks.map((t) => [t.id, nextFire(t.schedule, timeZone, now)]));
    for (const t of tasks) this.log('info', t.id, `next run ${localTime(this.next.get(t.id)!, timeZone)} (${t.schedule}, ${timeZone})`);
    this.arm();
  }

  /** Queues a task now (catch-up at start, a replication after a job's run). */
  enqueue(task: Runnable): void {
    if (this.stopped || this.running?.task.id === task.id || this.queue.some((q) => q.id === task.id)) return;
    this.queue.push(task);
    void this.drain();
  }

  /**
   * Stops scheduling; lets the running task finish within `graceMs`, then aborts it and waits
   * for it to end.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.queue = [];
    if (this.timer) this.timers.clearTimeout(this.timer);
    const current = this.running;
    if (!current) return;
    this.log('info', current.task.id, `waiting up to ${Math.round(graceMs / 1000)} s for the running task to finish`);
    let grace: unknown;
    const timedOut = new Promise<false>((resolve) => (grace = this.timers.setTimeout(() => resolve(false), graceMs)));
    const finished = await Promise.race([current.done.then(() => true as const), timedOut]);
    this.timers.clearTimeout(grace);
    if (!finished) {
      this.log('warning', current.task.id, `still running at stop_timeout: stopping it (${this.interrupted})`);
      current.abort.abort(new Error('zbk daemon is stopping'));
      await current.done;
    }
  }

  private arm(): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    if (this.stopped || this.next.size === 0) return;
    const soonest = Math.min(...[...this.next.values()].map((d) => d.getTime()));
    const wait = Math.max(0, Math.min(MAX_SLEEP_MS, soonest - this.clock().getTime()));
    this.timer = this.timers.setTimeout(() => this.tick(), wait);
  }

  private tick(): void {
    const now = this.clock();
    for (const task of this.tasks) {
      const due = this.next.get(task.id);
      if (!due || due.getTime() > now.getTime()) continue;
      this.next.set(task.id, nextFire(task.schedule, this.timeZone, due.getTime() < now.getTime() - MAX_SLEEP_MS ? now : due));
      this.enqueue(task);
    }
    this.arm();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    for (let task = this.queue.shift(); task && !this.stopped; task = this.queue.shift()) {
      const abort = new AbortController();
      const done = task.run(abort.signal).catch((e: unknown) => this.log('error', task!.id, e instanceof Error ? e.message : String(e)));
      this.running = { task, abort, done };
      await done;
      this.running = null;
    }
  }
}

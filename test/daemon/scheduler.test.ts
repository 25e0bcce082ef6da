/**
 * The scheduler on a manual clock (test/helpers/clock.ts): six-field (per-second) schedules,
 * the queue and the stop, in no real time and in a fixed order.
 */
import test from 'ava';
import type { Log } from '../../src/daemon/log.js';
import { Scheduler, type Task } from '../../src/daemon/scheduler.js';
import { ManualClock } from '../helpers/clock.js';

const START = new Date('2026-12-01T00:00:00.000Z');

function setup(start = START) {
  const lines: string[] = [];
  const log: Log = (level, subject, message) => lines.push(`${level} ${subject ?? '-'} ${message}`);
  const clock = new ManualClock(start);
  return { lines, clock, scheduler: new Scheduler(log, clock.now, clock.timers) };
}

test('a per-second task runs again and again; a slow one never overlaps itself, and a second it is busy is skipped', async (t) => {
  const { clock, scheduler: s } = setup();
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const starts: string[] = [];
  const task: Task = {
    id: 'slow',
    schedule: '* * * * * *',
    run: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      starts.push(clock.now().toISOString().slice(11, 19));
      await clock.sleep(1500);
      running--;
      runs++;
    },
  };
  s.setTasks([task], 'UTC');
  await clock.advance(4200);
  // 00:01 starts (until 00:02.5); 00:02 finds it running and skips; 00:03 starts again (until 00:04.5).
  t.deepEqual(starts, ['00:00:01', '00:00:03']);
  t.is(runs, 1);
  const stopping = s.stop(5000);
  await clock.advance(5000);
  await stopping;
  t.is(runs, 2, 'the running one finished within the grace period');
  t.deepEqual(starts, ['00:00:01', '00:00:03'], 'nothing started after the stop');
  t.is(maxRunning, 1);
});

test('tasks queue one after another; one queued twice runs once', async (t) => {
  const { clock, scheduler: s } = setup();
  const order: string[] = [];
  const mk = (id: string): Task => ({
    id, schedule: '0 0 1 1 *',
    run: async () => {
      order.push(`${id}+ ${clock.now().getTime() - START.getTime()}`);
      await clock.sleep(100);
      order.push(`${id}-`);
    },
  });
  s.setTasks([], 'UTC');
  s.enqueue(mk('a'));
  s.enqueue(mk('b'));
  s.enqueue(mk('a'));
  await clock.advance(400);
  await s.stop(1000);
  t.deepEqual(order, ['a+ 0', 'a-', 'b+ 100', 'b-']);
});

test('stop lets the running task finish within the grace period, else aborts it at its end', async (t) => {
  const { lines, clock, scheduler: s } = setup();
  let aborted = false;
  s.enqueue({
    id: 'pull',
    run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { aborted = true; resolve(); })),
  });
  await clock.advance(50);
  const stopping = s.stop(300);
  await clock.advance(299);
  t.false(aborted, 'not before the grace period is over');
  await clock.advance(1);
  await stopping;
  t.true(aborted);
  t.deepEqual(lines, ['info pull waiting up to 0 s for the running task to finish', 'warning pull still running at stop_timeout: stopping it (no snapshot of an interrupted pull)']);
});

test('a failing task is logged and the next one still runs', async (t) => {
  const { lines, clock, scheduler: s } = setup();
  let second = false;
  s.enqueue({ id: 'bad', run: async () => { throw new Error('boom'); } });
  s.enqueue({ id: 'good', run: async () => { second = true; } });
  await clock.advance(0);
  await s.stop(100);
  t.true(second);
  t.true(lines.includes('error bad boom'));
});

test('the next run of each task is logged in the configured zone, to the second', (t) => {
  const { lines, scheduler: s } = setup(new Date('2026-12-01T12:34:56.789Z'));
  s.setTasks([{ id: 'job web', schedule: '0 3 * * *', run: async () => undefined }], 'Europe/Athens');
  void s.stop(0);
  t.deepEqual(lines, ['info job web next run 2026-12-02 03:00:00+02:00 (0 3 * * *, Europe/Athens)']);
});

test('three days on the clock: a daily task runs once a day, at its time, though the timer wakes every minute', async (t) => {
  const { clock, scheduler: s } = setup(new Date('2026-12-01T02:59:00Z'));
  const starts: string[] = [];
  s.setTasks([{ id: 'job web', schedule: '0 3 * * *', run: async () => { starts.push(clock.now().toISOString()); } }], 'UTC');
  await clock.advance(3 * 24 * 3600 * 1000);
  t.deepEqual(starts, ['2026-12-01T03:00:00.000Z', '2026-12-02T03:00:00.000Z', '2026-12-03T03:00:00.000Z']);
  await s.stop(0);
});

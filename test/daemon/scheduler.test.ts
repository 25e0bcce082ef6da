/** The scheduler with real timers and six-field (per-second) schedules. */
import test from 'ava';
import type { Log } from '../../src/daemon/log.js';
import { Scheduler, type Task } from '../../src/daemon/scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder() {
  const lines: string[] = [];
  const log: Log = (level, subject, message) => lines.push(`${level} ${subject ?? '-'} ${message}`);
  return { lines, log };
}

test('a per-second task runs again and again; a slow one never overlaps itself', async (t) => {
  const { log } = recorder();
  const s = new Scheduler(log);
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const task: Task = {
    id: 'slow',
    schedule: '* * * * * *',
    run: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(1500);
      running--;
      runs++;
    },
  };
  s.setTasks([task], 'UTC');
  await sleep(4200);
  await s.stop(5000);
  t.true(runs >= 2, `ran ${runs} times`);
  t.is(maxRunning, 1);
});

test('tasks queue one after another', async (t) => {
  const { log } = recorder();
  const s = new Scheduler(log);
  const order: string[] = [];
  const mk = (id: string): Task => ({ id, schedule: '0 0 1 1 *', run: async () => { order.push(`${id}+`); await sleep(100); order.push(`${id}-`); } });
  s.setTasks([], 'UTC');
  s.enqueue(mk('a'));
  s.enqueue(mk('b'));
  s.enqueue(mk('a'));
  await sleep(400);
  await s.stop(1000);
  t.deepEqual(order, ['a+', 'a-', 'b+', 'b-']);
});

test('stop lets the running task finish within the grace period, else aborts it', async (t) => {
  const { lines, log } = recorder();
  const s = new Scheduler(log);
  let aborted = false;
  s.enqueue({
    id: 'pull',
    run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { aborted = true; resolve(); })),
  });
  await sleep(50);
  const t0 = Date.now();
  await s.stop(300);
  t.true(aborted);
  t.true(Date.now() - t0 >= 290 && Date.now() - t0 < 2000);
  t.true(lines.some((l) => l.startsWith('warning pull still running at stop_timeout')));
});

test('a failing task is logged and the next one still runs', async (t) => {
  const { lines, log } = recorder();
  const s = new Scheduler(log);
  let second = false;
  s.enqueue({ id: 'bad', run: async () => { throw new Error('boom'); } });
  s.enqueue({ id: 'good', run: async () => { second = true; } });
  await sleep(100);
  await s.stop(100);
  t.true(second);
  t.true(lines.includes('error bad boom'));
});

test('the next run of each task is logged in the configured zone, to the second', (t) => {
  const { lines, log } = recorder();
  const s = new Scheduler(log, () => new Date('2026-12-01T12:34:56.789Z'));
  s.setTasks([{ id: 'job web', schedule: '0 3 * * *', run: async () => undefined }], 'Europe/Athens');
  void s.stop(0);
  t.deepEqual(lines, ['info job web next run 2026-12-02 03:00:00+02:00 (0 3 * * *, Europe/Athens)']);
});

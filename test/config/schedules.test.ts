/** Schedules: 5 or 6 cron fields, checked with cron-parser only when a command needs them. */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { scheduleProblems } from '../../src/config/schedules.js';
import { FILE, problems } from '../helpers/config.js';

test('bad cron expressions are errors when schedules are checked', async (t) => {
  const text = '[[job]]\nname = "a"\ndataset = "t/a"\nschedule = "0 3 * *"\n\n[scrub]\nschedule = "61 * * * *"\n';
  const found = await problems(text, true);
  t.is(found.length, 2);
  t.regex(found[0]!, /:4: job "a"\.schedule: "0 3 \* \*" has 4 fields/);
  t.regex(found[1]!, /:7: scrub\.schedule: "61 \* \* \* \*" is not a cron expression/);
  t.deepEqual(await problems(text, false), [], 'commands that need no schedule do not load cron-parser');
});

test('scheduleProblems: each job\'s and the scrub\'s, by key path, in the configured zone', async (t) => {
  const config = await parseConfig('[zbk]\ntimezone = "Europe/Athens"\n[[job]]\nname = "a"\ndataset = "t/a"\nschedule = "0 3 * * * * *"\n[[job]]\nname = "b"\ndataset = "t/b"\nschedule = "*/5 * * * * *"\n', FILE);
  t.deepEqual(await scheduleProblems(config), [
    { path: ['job', 0, 'schedule'], message: '"0 3 * * * * *" has 7 fields; a schedule has 5 (min hour day month weekday) or 6 (seconds first)' },
  ]);
});

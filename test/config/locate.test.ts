import test from 'ava';
import { formatKeyPath, keyLines, lineOf } from '../../src/config/locate.js';

const text = `# zbk
[zbk]
snapshot_prefix = "zbk"

[retention.default]
daily = 7

[[job]]
name = "a"
retention = { daily = 3 }

[[job]]
name = "b"
"schedule" = "0 3 * * *"
`;

test('keys are found under their table, array tables counted from 0', (t) => {
  const lines = keyLines(text);
  t.is(lineOf(lines, ['zbk', 'snapshot_prefix']), 3);
  t.is(lineOf(lines, ['retention', 'default', 'daily']), 6);
  t.is(lineOf(lines, ['job', 0, 'name']), 9);
  t.is(lineOf(lines, ['job', 1, 'schedule']), 14);
});

test('a key inside an inline table, or absent, points at the nearest line that holds it', (t) => {
  const lines = keyLines(text);
  t.is(lineOf(lines, ['job', 0, 'retention', 'daily']), 10);
  t.is(lineOf(lines, ['job', 1, 'dataset']), 12);
  t.is(lineOf(lines, ['scrub', 'pools']), null);
});

test('key paths read as an admin writes them', (t) => {
  t.is(formatKeyPath(['job', 1, 'schedule']), 'job[1].schedule');
  t.is(formatKeyPath(['job', 1, 'exclude', 2], [null, 'web']), 'job "web".exclude[2]', 'a job by its name');
  t.is(formatKeyPath(['job', 0, 'exclude', 2], [null, 'web']), 'job[0].exclude[2]', 'by its index when it has no valid name');
  t.is(formatKeyPath(['retention', 'job', 0], ['web']), 'retention.job[0]', 'only a [[job]] is named');
  t.is(formatKeyPath(['retention', 'default', 'daily']), 'retention.default.daily');
});

/** `zbk run`'s lines for the daily mail: the pull, the snapshot, what was pruned, each warning on its own lines. */
import test from 'ava';
import { summary } from '../../src/commands/run.js';
import type { JobReport } from '../../src/jobs/run-job.js';
import { parseRsyncStats } from '../../src/sync/stats.js';

const stats = parseRsyncStats([
  'Number of files: 1,204 (reg: 1,000, dir: 204)',
  'Number of created files: 0',
  'Number of deleted files: 0',
  'Number of regular files transferred: 3',
  'Total file size: 8,388,641 bytes',
  'Total transferred file size: 5,000 bytes',
  'Literal data: 5,000 bytes',
  'Matched data: 0 bytes',
  'Total bytes sent: 12,400',
  'Total bytes received: 4,900,000',
  'sent 12,400 bytes  received 4,900,000 bytes  16,782,226.00 bytes/sec',
  'total size is 8,388,641  speedup is 612.30',
].join('\n'));

const report = (over: Partial<JobReport>): JobReport => ({
  job: 'web', dataset: 'tank/backup/web', outcome: 'ok', messages: [], notes: [], snapshot: 'tank/backup/web@zbk_2026-03-02T030000Z',
  stats, pruned: [], durationMs: 72_000, ...over,
});

test('a pull, its snapshot, and the snapshots it pruned, by name', (t) => {
  t.truthy(stats, 'the stats parse (the test bed works)');
  t.is(summary(report({ pruned: ['zbk_2026-02-01T030000Z', 'zbk_2026-02-02T030000Z'] })), [
    'web: 1,204 files, 3 changed, sent 12.1K received 4.67M, speedup 612.3, 0:01:12',
    '  snapshot tank/backup/web@zbk_2026-03-02T030000Z',
    '  pruned 2: zbk_2026-02-01T030000Z, zbk_2026-02-02T030000Z',
  ].join('\n'));
});

test('warnings are lines of their own, never glued onto the snapshot line, wrapped at 78 columns', (t) => {
  const out = summary(report({
    outcome: 'warning', stats: null, pruned: [],
    messages: ['prune: the newest snapshot tank/backup/web@zbk_2026-03-05T030000Z is after now (2026-03-01T03:00:00Z): the clock may have gone backwards; nothing destroyed (--force prunes anyway)', 'post_hook failed (exit 1)'],
  }));
  t.is(out, [
    'web: no pull (snapshot-only job)',
    '  snapshot tank/backup/web@zbk_2026-03-02T030000Z',
    '  WARNING: prune: the newest snapshot tank/backup/web@zbk_2026-03-05T030000Z',
    '    is after now (2026-03-01T03:00:00Z): the clock may have gone backwards;',
    '    nothing destroyed (--force prunes anyway)',
    '  WARNING: post_hook failed (exit 1)',
  ].join('\n'));
});

test('many pruned snapshots wrap, every name whole', (t) => {
  const pruned = Array.from({ length: 9 }, (_, i) => `zbk_2026-01-0${i + 1}T030000Z`);
  const out = summary(report({ pruned }));
  for (const line of out.split('\n')) t.true(line.length <= 78, line);
  for (const name of pruned) t.true(out.includes(name), name);
  t.regex(out, /^ {2}pruned 9: zbk_2026-01-01T030000Z, /m);
});

test('a failure: its reason first, on lines of its own; a multi-line diagnosis is indented, not glued', (t) => {
  t.is(summary(report({ outcome: 'failed', stats: null, snapshot: null, messages: ['dataset tank/backup/web does not exist; create it with `zbk init --job web`'] })),
    'web: FAILED: dataset tank/backup/web does not exist; create it with `zbk init\n    --job web`');
  t.is(summary(report({ outcome: 'failed', snapshot: null, messages: ['the source directory /srv/www does not exist: fix it\nrsync failed with code 23; no snapshot taken', 'post_hook failed (exit 1)'] })), [
    'web: 1,204 files, 3 changed, sent 12.1K received 4.67M, speedup 612.3, 0:01:12',
    '  FAILED: the source directory /srv/www does not exist: fix it',
    '    rsync failed with code 23; no snapshot taken',
    '  also: post_hook failed (exit 1)',
  ].join('\n'));
});

test('a note is no warning: a snapshot prune kept for a clone is said as a note', (t) => {
  const text = summary(report({ notes: ['prune: kept tank/backup/web@zbk_2026-03-01T030000Z: a clone depends on it'] }));
  t.regex(text, /\n {2}note: prune: kept tank\/backup\/web@zbk_2026-03-01T030000Z: a clone depends on\n {4}it$/);
  t.notRegex(text, /WARNING/);
});

/** `zbk diff`: its JSON (CONTRACT's shape) and text, and the arguments refused before any ZFS is touched. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { renderJson, renderText } from '../../src/commands/diff.js';
import type { Diff } from '../../src/views/diff.js';
import { zbk } from '../helpers/cli.js';

const D: Diff = {
  job: 'web', method: 'zfs diff', swept: [],
  from: { snapshot: 'zbk_2026-11-21T030000Z', instant: new Date('2026-11-21T12:00:00Z') },
  to: { snapshot: 'zbk_2026-11-22T030000Z', instant: null },
  changes: [
    { path: '/etc/nginx/nginx.conf', change: 'modified', size: 2310 },
    { path: '/var/www/new.html', change: 'added', size: 12 },
    { path: '/var/www/gone', change: 'removed', size: null },
  ],
};

test('JSON: the contract\'s shape, each change with its size; to null for the live dataset', (t) => {
  t.deepEqual(JSON.parse(renderJson(D)), {
    job: 'web', from: 'zbk_2026-11-21T030000Z', to: 'zbk_2026-11-22T030000Z',
    changes: [
      { path: '/etc/nginx/nginx.conf', change: 'modified', size: 2310 },
      { path: '/var/www/new.html', change: 'added', size: 12 },
      { path: '/var/www/gone', change: 'removed', size: null },
    ],
  });
  t.is((JSON.parse(renderJson({ ...D, to: null })) as { to: null }).to, null);
});

test('text: the snapshots chosen (and by which instant), the method, counts, one line a change', (t) => {
  const text = renderText(D);
  t.regex(text, /^job web: from zbk_2026-11-21T030000Z \(the newest at or before 2026-11-21T12:00:00Z\) to zbk_2026-11-22T030000Z \(zfs diff\): 1 added, 1 removed, 1 modified$/m);
  t.regex(text, /^modified +2310 +\/etc\/nginx\/nginx\.conf$/m);
  t.regex(text, /^removed +- +\/var\/www\/gone$/m);
  t.regex(renderText({ ...D, to: null, changes: [] }), /to the live dataset \(zfs diff\): 0 added, 0 removed, 0 modified$/);
});

test('refused with 64 before ZFS is asked anything: no --job, no FROM, a third positional, anything after --', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-diff-cli-'));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}\n\n[[job]]\nname = "web"\ndataset = "tank/web"\n`);
  const cases: Array<[string[], RegExp]> = [
    [['a'], /diff: name the job with --job/],
    [['--job', 'web'], /Not enough non-option arguments/],
    [['--job', 'web', 'a', 'b', 'c'], /Unknown argument: c/],
    [['--job', 'web', 'a', '--', 'b'], /after --/],
  ];
  for (const [args, re] of cases) {
    const r = await zbk(['diff', '--config', file, ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, re, args.join(' '));
  }
});

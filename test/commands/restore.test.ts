/** `zbk restore`: its JSON and text, and the arguments refused (64) before any ZFS is touched. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { renderJson, renderText } from '../../src/commands/restore.js';
import type { Restore } from '../../src/restore/restore.js';
import { zbkEach } from '../helpers/cli.js';

const R: Restore = {
  job: 'web', at: '2026-11-21T12:00:00Z', to: null, destination: 'root@web:/srv/', dryRun: true, delete: false, swept: [], unread: [],
  choice: { snapshot: 'zbk_2026-11-21T030000Z', instant: new Date('2026-11-21T12:00:00Z') },
  changes: [{ path: '/srv/etc/rc.conf', change: 'updated' }, { path: '/srv/www/index.html', change: 'created' }],
  leftOut: [{ arg: '--inplace', why: 'the pull\'s way of writing into the dataset' }],
  verdict: { outcome: 'ok', message: 'rsync completed' },
};

test('JSON: job, at, the snapshot chosen, to ("source" or DIR), destination, dryRun, delete, changes, leftOut, outcome', (t) => {
  t.deepEqual(JSON.parse(renderJson(R)), {
    job: 'web', at: '2026-11-21T12:00:00Z', snapshot: 'zbk_2026-11-21T030000Z', to: 'source', destination: 'root@web:/srv/',
    dryRun: true, delete: false,
    changes: [{ path: '/srv/etc/rc.conf', change: 'updated' }, { path: '/srv/www/index.html', change: 'created' }],
    leftOut: [{ arg: '--inplace', why: 'the pull\'s way of writing into the dataset' }],
    outcome: 'ok', message: null,
  });
  const failed = JSON.parse(renderJson({ ...R, to: '/tmp/r', destination: '/tmp/r/', verdict: { outcome: 'failed', message: 'rsync failed with code 23' } })) as Record<string, unknown>;
  t.like(failed, { to: '/tmp/r', outcome: 'failed', message: 'rsync failed with code 23' });
});

test('text: the snapshot chosen (and by which instant), where to, the count, one line a change; names made printable', (t) => {
  const text = renderText(R);
  t.regex(text, /^job web: restore from zbk_2026-11-21T030000Z \(the newest at or before 2026-11-21T12:00:00Z\) onto root@web:\/srv\/: 2 changes would be made \(dry run: nothing was changed\)$/m);
  t.regex(text, /^updated +\/srv\/etc\/rc\.conf$/m);
  t.regex(text, /^created +\/srv\/www\/index\.html$/m);
  const real = renderText({ ...R, dryRun: false, to: '/tmp/r', choice: { snapshot: 'zbk_2026-11-21T030000Z', instant: null }, changes: [{ path: '/srv/a\u001b[2J', change: 'deleted' }] });
  t.regex(real, /^job web: restore from zbk_2026-11-21T030000Z into \/tmp\/r: 1 change$/m);
  t.regex(real, /^deleted +\/srv\/a\\x1b\[2J$/m);
});

test('refused with 64 before ZFS is asked anything: no --job, no --at, no PATH, --to and --to-source together or neither, twice, after --', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-restore-cli-'));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}\n\n[[job]]\nname = "web"\ndataset = "tank/web"\nsource = "root@web:/srv/"\n`);
  const at = ['--at', '2026-11-21T12:00:00Z'];
  const cases: Array<[string[], RegExp]> = [
    [[...at, 'etc', '--to-source'], /restore: name the job with --job/],
    [['--job', 'web', 'etc', '--to-source'], /restore: say when with --at \(a snapshot name, or an ISO 8601 instant\)/],
    [['--job', 'web', ...at, '--to-source'], /Not enough non-option arguments/],
    [['--job', 'web', ...at, 'etc'], /restore: say where with --to DIR or --to-source/],
    [['--job', 'web', ...at, 'etc', '--to', '/tmp/x', '--to-source'], /restore: --to DIR and --to-source exclude each other; give one/],
    [['--job', 'web', ...at, 'etc', '--to', '/tmp/x', '--to', '/tmp/y'], /--to given 2 times; give it once/],
    [['--job', 'web', '--job', 'web', ...at, 'etc', '--to-source'], /--job given 2 times/],
    [['--job', 'web', ...at, 'etc', '--to-source', '--', '/'], /after --/],
    [['--job', 'web', ...at, 'etc', '--to'], /Not enough arguments following: to/],
    [['--job', 'web', ...at, 'etc', '--to-source', '--force'], /Unknown argument: force/],
  ];
  const results = await zbkEach(cases.map(([args]) => ['restore', '--config', file, ...args]));
  for (const [i, r] of results.entries()) {
    const [args, re] = cases[i]!;
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, re, args.join(' '));
    t.is(r.stdout, '', args.join(' '));
  }
});

/** `zbk history`: its JSON (CONTRACT's shape) and text, and the arguments refused before any ZFS is touched. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { renderJson, renderText } from '../../src/commands/history.js';
import type { History } from '../../src/views/history.js';
import { zbk } from '../helpers/cli.js';

const H: History = {
  job: 'web', path: '/etc/nginx/nginx.conf', snapshots: ['zbk_2026-11-21T030000Z', 'zbk_2026-11-22T030000Z', 'zbk_2026-11-23T030000Z'], entries: null, swept: [],
  versions: [
    { type: 'file', size: 2310, mtime: '2026-11-20T14:02:11Z', sha256: null, snapshots: ['zbk_2026-11-21T030000Z', 'zbk_2026-11-22T030000Z'], live: false },
    { type: 'file', size: 2311, mtime: '2026-11-22T14:02:11Z', sha256: null, snapshots: ['zbk_2026-11-23T030000Z'], live: true },
  ],
};

test('JSON: the contract\'s shape (sha256 null without --checksum), and live for the version the live dataset holds', (t) => {
  t.deepEqual(JSON.parse(renderJson(H)), {
    job: 'web', path: '/etc/nginx/nginx.conf',
    versions: [
      { type: 'file', size: 2310, mtime: '2026-11-20T14:02:11Z', sha256: null, snapshots: ['zbk_2026-11-21T030000Z', 'zbk_2026-11-22T030000Z'], live: false },
      { type: 'file', size: 2311, mtime: '2026-11-22T14:02:11Z', sha256: null, snapshots: ['zbk_2026-11-23T030000Z'], live: true },
    ],
  });
  const dir = JSON.parse(renderJson({ ...H, entries: [{ path: '/etc/nginx/a', versions: [] }] })) as { entries: unknown[] };
  t.deepEqual(dir.entries, [{ path: '/etc/nginx/a', versions: [] }]);
});

test('text: one row a version, the snapshots that hold it as a span, control characters in names made visible', (t) => {
  const text = renderText(H, false);
  t.regex(text, /^\/etc\/nginx\/nginx\.conf \(job web, 3 snapshots and the live dataset\): 2 versions$/m);
  t.regex(text, /^ {2}1 +file +2310 +2026-11-20T14:02:11Z +zbk_2026-11-21T030000Z \.\. zbk_2026-11-22T030000Z \(2 snapshots\)$/m);
  t.regex(text, /^ {2}2 +file +2311 +2026-11-22T14:02:11Z +zbk_2026-11-23T030000Z \(1 snapshot\) \+ live$/m);
  t.regex(renderText({ ...H, path: '/a\u001b[2Jb' }, false), /\/a\\x1b\[2Jb/);
});

async function config(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-history-cli-'));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}\n\n[[job]]\nname = "web"\ndataset = "tank/web"\nsource = "root@web:/srv/"\n`);
  return file;
}

test('refused with 64 before ZFS is asked anything: no --job, --job twice, an unknown job, a PATH outside the source, a control character, a second PATH, anything after --', async (t) => {
  const file = await config();
  const cases: Array<[string[], RegExp]> = [
    [['/srv/a'], /history: name the job with --job/],
    [['--job', 'web', '--job', 'web', '/srv/a'], /--job given 2 times; give it once/],
    [['--job', 'nope', '/srv/a'], /no job "nope" in .*zbk\.toml \(jobs: web\)/],
    [['--job', 'web', '/etc/passwd'], /history: "\/etc\/passwd" is not under the job's source directory \/srv\//],
    [['--job', 'web', '../../etc/passwd'], /climbs above \/ with \.\./],
    [['--job', 'web', '../etc/passwd'], /is not under/],
    [['--job', 'web', '/srv/a\nb'], /control character/], // a NUL cannot be in argv at all: host-path.test.ts
    [['--job', 'web', '/srv/a', '/srv/b'], /Unknown argument: \/srv\/b/],
    [['--job', 'web', '/srv/a', '--', '-rf'], /after --/],
    [['--job', 'web'], /Not enough non-option arguments/],
    [['--job', 'web', '--format', 'xml', '/srv/a'], /Invalid values/],
  ];
  for (const [args, re] of cases) {
    const r = await zbk(['history', '--config', file, ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, re, args.join(' '));
    t.is(r.stdout, '');
  }
});

test('a config error is 78, as for every command', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-history-cli-'));
  await writeFile(join(dir, 'bad.toml'), '[[job]]\nname = "web"\n');
  const r = await zbk(['history', '--config', join(dir, 'bad.toml'), '--job', 'web', 'a']);
  t.is(r.exitCode, 78);
});

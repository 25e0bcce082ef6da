/** The command line as users and scripts meet it: help, version, usage errors, exit codes. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { VERSION } from '../src/version.js';
import { zbk, zbkEach } from './helpers/cli.js';

test('--version and --help', async (t) => {
  const v = await zbk(['--version']);
  t.is(v.exitCode, 0);
  t.is(v.stdout.trim(), VERSION);
  const h = await zbk(['--help']);
  t.is(h.exitCode, 0);
  for (const c of ['run', 'snapshot', 'prune', 'init', 'list', 'status', 'scrub-report', 'scrub', 'daemon', 'configtest', 'check', 'replicate']) {
    t.regex(h.stdout, new RegExp(`zbk ${c}\\b`));
  }
  const p = await zbk(['prune', '--help']);
  t.regex(p.stdout, /--dry-run/);
});

test('no command, an unknown command or an unknown flag: usage on stderr, exit 64', async (t) => {
  for (const args of [[], ['bogus'], ['list', '--bogus'], ['prune', '--format', 'xml', 'tank/a']]) {
    const r = await zbk(args);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, /zbk <command>|zbk (list|prune)/);
    t.is(r.stdout, '');
  }
});

test('a config error stops every command before it touches anything', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-cli-'));
  const bad = join(dir, 'bad.toml');
  await writeFile(bad, '[retention.default]\ndaily = -1\n');
  for (const cmd of [['list', 'tank/a'], ['prune', 'tank/a'], ['snapshot', 'tank/a'], ['run']]) {
    const r = await zbk([...cmd, '--config', bad]);
    t.is(r.exitCode, 78, cmd.join(' '));
    t.regex(r.stderr, /bad.toml:2: retention\.default/);
  }
});

test('every command: anything after -- is a usage error (64), and the command does nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-cli-'));
  const config = join(dir, 'zbk.toml');
  await writeFile(config, `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}\n`);
  const commands = ['run', 'snapshot', 'prune', 'init', 'list', 'status', 'scrub-report', 'scrub', 'daemon', 'configtest', 'check', 'replicate'];
  const cases = commands.flatMap((command) => [['--', '--dry-run'], ['--', 'tank/other'], ['--', '']].map((extra) => [command, '--config', config, ...extra]));
  for (const [i, r] of (await zbkEach(cases)).entries()) {
    const [command, , , ...extra] = cases[i]!;
    t.is(r.exitCode, 64, `${command} ${extra.join(' ')}`);
    t.is(r.stdout, '', `${command} ${extra.join(' ')}`);
    t.regex(r.stderr, new RegExp(`zbk: ${command}: ".*" after --`));
  }
});

test('a single-valued option given twice is a usage error, whichever command and option', async (t) => {
  const cases = [
    ['--config', 'a.toml', '--config', 'b.toml', 'configtest'],
    ['prune', 'tank/a', '--now', '2026-01-01T00:00:00Z', '--now', '2026-01-02T00:00:00Z'],
    ['scrub-report', '--from-file', 'a', '--from-file', 'b'],
    ['scrub', '--max-age', '1d', '--max-age', '2d'],
    ['replicate', '--now', '2026-01-01T00:00:00Z', '--now', '2026-01-02T00:00:00Z'],
  ];
  for (const args of cases) {
    const r = await zbk(args);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, /given 2 times; give it once/);
  }
});

test('DATASET arguments are checked as the config checks datasets: never an option, never ..', async (t) => {
  const cases = ['prune', 'snapshot', 'list'].flatMap((command) => ['-o', 'tank/../other', 'tank/a@b', ''].map((dataset) => [command, dataset]));
  for (const [i, r] of (await zbkEach(cases)).entries()) {
    t.is(r.exitCode, 64, `${cases[i]![0]} ${JSON.stringify(cases[i]![1])}`);
    t.regex(r.stderr, /is not a|empty dataset name|Unknown argument/);
  }
});

test('an option given no value is a usage error (64) naming it, never a stack trace', async (t) => {
  for (const args of [['run', '--job'], ['prune', '--job'], ['list', 'a', 'b', '--format'], ['scrub-report', '--from-file'], ['status', '--format'], ['prune', 'tank/a', '--now'], ['replicate', '--target']]) {
    const r = await zbk(args);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, /zbk: Not enough arguments following: (job|format|from-file|now|target)$/, args.join(' '));
    t.notRegex(r.stderr, /\bat .*node_modules/, 'no stack trace');
  }
});

test('replicate: an unknown --target or --job, or a job that replicates to none of the named targets, is a usage error (64); a config with no replicating job replicates nothing (0)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-cli-'));
  const config = join(dir, 'zbk.toml');
  await writeFile(config, [
    `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}`,
    '[[job]]\nname = "web"\ndataset = "tank/web"\nreplicate = ["usb"]',
    '[[job]]\nname = "db"\ndataset = "tank/db"',
    '[[target]]\nname = "usb"\ndataset = "usb/zbk"',
    '[[target]]\nname = "far"\ndataset = "far/zbk"\nhost = "zbk@far.example.com"', '',
  ].join('\n'));
  const cases: [string[], RegExp][] = [
    [['--target', 'nope'], /^zbk: no target "nope" in .*zbk.toml \(targets: usb, far\)$/m],
    [['--job', 'nope'], /^zbk: no job "nope" in /m],
    [['--job', 'db'], /^zbk: replicate: job db replicates to no target/m],
    [['--job', 'web', '--target', 'far'], /^zbk: replicate: job web does not replicate to target far/m],
    [['--format', 'xml'], /Invalid values/],
  ];
  for (const [args, message] of cases) {
    const r = await zbk(['replicate', '--config', config, ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, message, args.join(' '));
    t.is(r.stdout, '');
  }
  const none = join(dir, 'none.toml');
  await writeFile(none, `[zbk]\nstate_dir = ${JSON.stringify(join(dir, 'state'))}\n[[job]]\nname = "db"\ndataset = "tank/db"\n`);
  const r = await zbk(['replicate', '--config', none]);
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, /nothing to replicate/);
});

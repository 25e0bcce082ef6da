/** The command line as users and scripts meet it: help, version, usage errors, exit codes. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { VERSION } from '../src/version.js';
import { zbk } from './helpers/cli.js';

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

test('a bad --now is a usage error', async (t) => {
  const r = await zbk(['snapshot', 'tank/a', '--now', 'yesterday']);
  t.is(r.exitCode, 64);
  t.regex(r.stderr, /--now yesterday: not an ISO 8601 instant/);
});

test('configtest: 0 for a good file, 78 naming file, line and key for a bad one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-cli-'));
  const good = join(dir, 'good.toml');
  await writeFile(good, '[[job]]\nname = "a"\ndataset = "tank/a"\n');
  const ok = await zbk(['configtest', '--config', good]);
  t.is(ok.exitCode, 0);
  t.regex(ok.stdout, /good.toml: OK \(1 job/);

  const bad = join(dir, 'bad.toml');
  await writeFile(bad, '[[job]]\nname = "a"\ndataset = "tank/a"\nshedule = "0 3 * * *"\n');
  const r = await zbk(['configtest', '--config', bad]);
  t.is(r.exitCode, 78);
  t.regex(r.stderr, new RegExp(`${bad}:4: job "a"\\.shedule: unknown key`));

  const viaEnv = await zbk(['configtest'], { env: { ZBK_CONFIG: bad } });
  t.is(viaEnv.exitCode, 78);
  const missing = await zbk(['configtest', '--config', join(dir, 'none.toml')]);
  t.is(missing.exitCode, 78);
  t.regex(missing.stderr, /none.toml: no such file/);
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
  for (const command of commands) {
    for (const extra of [['--', '--dry-run'], ['--', 'tank/other'], ['--', '']]) {
      const r = await zbk([command, '--config', config, ...extra]);
      t.is(r.exitCode, 64, `${command} ${extra.join(' ')}`);
      t.is(r.stdout, '', `${command} ${extra.join(' ')}`);
      t.regex(r.stderr, new RegExp(`zbk: ${command}: ".*" after --`));
    }
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
  for (const command of ['prune', 'snapshot', 'list']) {
    for (const dataset of ['-o', 'tank/../other', 'tank/a@b', '']) {
      const r = await zbk([command, dataset]);
      t.is(r.exitCode, 64, `${command} ${JSON.stringify(dataset)}`);
      t.regex(r.stderr, /is not a|empty dataset name|Unknown argument/);
    }
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

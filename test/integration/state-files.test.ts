/**
 * Files zbk writes as root, against an attacker who could write where zbk writes: links
 * planted at the state file, at the temporary name an older zbk used (`.<file>.<pid>.tmp`,
 * opened with O_TRUNC), and at the `--output` target; a state_dir others may write. The real
 * CLI, no ZFS needed: `scrub-report --from-file` writes the report memory and `--output`.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const healed = `${FIXTURES}zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt`;
const PRECIOUS = 'root:$6$precious:20000:0:99999:7:::\n';

interface Setup {
  readonly dir: string;
  readonly state: string;
  readonly config: string;
  readonly victim: string;
}

async function setup(t: ExecutionContext, extra = ''): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-files-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const state = join(dir, 'state');
  const config = join(dir, 'zbk.toml');
  await writeFile(config, `[zbk]\nstate_dir = "${state}"\ntimezone = "UTC"\n${extra}`);
  const victim = join(dir, 'shadow');
  await writeFile(victim, PRECIOUS, { mode: 0o600 });
  return { dir, state, config, victim };
}

/** Runs zbk as `sh -c '...; exec node cli.js ARGS'`: `plant` may use $$, which is then zbk's own pid. */
async function zbkPlanting(plant: string, args: readonly string[]) {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return execa('sh', ['-c', `${plant}; exec '${process.execPath}' '${CLI}' ${quoted}`], { reject: false, env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
}

test('a link planted at the temporary name of the report memory is not followed', async (t) => {
  const { state, config, victim } = await setup(t);
  await mkdir(state, { mode: 0o700 });
  const r = await zbkPlanting(`ln -s '${victim}' "${state}/.health.json.$$.tmp"`, ['scrub-report', '--config', config, '--from-file', healed, '--new-only']);
  t.is(r.exitCode, 1, r.stderr);
  t.is(await readFile(victim, 'utf8'), PRECIOUS, 'the file the link points at is untouched');
  t.true(Object.keys(JSON.parse(await readFile(join(state, 'health.json'), 'utf8')) as object).includes('zbkh_m'));
});

test('--output into a sticky directory anyone may write (/tmp): links planted at the temporary name and at the target are not followed', async (t) => {
  const { dir, config, victim } = await setup(t);
  const shared = join(dir, 'tmp');
  await mkdir(shared);
  await chmod(shared, 0o1777);
  const out = join(shared, 'zbk.prom');
  const r = await zbkPlanting(`ln -s '${victim}' "${shared}/.zbk.prom.$$.tmp"`, ['scrub-report', '--config', config, '--from-file', healed, '--format', 'prometheus', '--output', out]);
  t.is(r.exitCode, 1, r.stderr);
  t.is(await readFile(victim, 'utf8'), PRECIOUS);
  t.regex(await readFile(out, 'utf8'), /^# HELP zbk_pool_state /);

  await rm(out);
  await symlink(victim, out);
  const again = await zbk(['scrub-report', '--config', config, '--from-file', healed, '--format', 'prometheus', '--output', out]);
  t.is(again.exitCode, 1, again.stderr);
  t.is(await readFile(victim, 'utf8'), PRECIOUS, 'the link at the target is replaced, not written through');
  t.true((await stat(out)).isFile());
  t.is((await stat(out)).mode & 0o777, 0o644);
});

test('--output into a directory others may write without the sticky bit is refused; nothing is written', async (t) => {
  const { dir, config } = await setup(t);
  const open = join(dir, 'open');
  await mkdir(open);
  await chmod(open, 0o777);
  const r = await zbk(['scrub-report', '--config', config, '--from-file', healed, '--output', join(open, 'zbk.prom')]);
  t.is(r.exitCode, 64);
  t.is(r.stderr, `zbk: --output ${open}/zbk.prom: ${open} is writable by others (mode 0777), who could replace the report: write it into a directory only root or you can write`);
  t.deepEqual(await readdir(open), []);
});

test('a state_dir writable by its group is refused with exit 78 by every command that uses it, before it touches anything', async (t) => {
  const job = '\n[[job]]\nname = "web"\ndataset = "zbkt_none/web"\nschedule = "0 3 * * *"\n';
  const { state, config } = await setup(t, job);
  await mkdir(state);
  await chmod(state, 0o770);
  const refusal = `zbk: config error\n${state}: state_dir: is writable by its group (mode 0770): run chmod go-w ${state}`;
  for (const args of [
    ['scrub-report', '--from-file', healed, '--new-only'],
    ['scrub-report', '--from-file', healed, '--remember'],
    ['scrub-report', '--from-file', healed, '--alert'],
    ['scrub', '--dry-run'],
    ['status'],
    ['run', '--job', 'web'],
  ]) {
    const r = await zbk([...args, '--config', config]);
    t.is(r.exitCode, 78, `${args.join(' ')}: ${r.stderr}`);
    t.is(r.stderr, refusal, args.join(' '));
    t.is(r.stdout, '', args.join(' '));
  }
  const daemon = await execa(process.execPath, [CLI, 'daemon', '--config', config], { reject: false, timeout: 15_000, env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.is(daemon.exitCode, 78, daemon.stderr);
  t.regex(daemon.stderr, /state_dir: is writable by its group/);
  t.deepEqual(await readdir(state), [], 'no lock, no state file was made');
});

test('a state_dir that is a symbolic link, or a report memory that is one, is refused and not followed', async (t) => {
  const { dir, state, config, victim } = await setup(t);
  await mkdir(join(dir, 'real'), { mode: 0o700 });
  await symlink(join(dir, 'real'), state);
  const r = await zbk(['scrub-report', '--config', config, '--from-file', healed, '--new-only']);
  t.is(r.exitCode, 78);
  t.regex(r.stderr, /state_dir: is a symbolic link; zbk does not follow links in state_dir/);
  t.deepEqual(await readdir(join(dir, 'real')), []);

  await rm(state);
  await mkdir(state, { mode: 0o700 });
  await symlink(victim, join(state, 'health.json'));
  const m = await zbk(['scrub-report', '--config', config, '--from-file', healed, '--new-only']);
  t.is(m.exitCode, 78);
  t.is(m.stderr, `zbk: config error\n${state}/health.json: state_dir: is a symbolic link; zbk does not follow links in state_dir: remove it`);
  t.is(await readFile(victim, 'utf8'), PRECIOUS);
});

test('a report memory tampered with (__proto__ keys, wrong shapes) is read as data: the pools are reported as new', async (t) => {
  const { state, config } = await setup(t);
  await mkdir(state, { mode: 0o700 });
  await writeFile(join(state, 'health.json'), '{"__proto__": {"alert": "ok"}, "zbkh_m": {"devices": 5}, "constructor": 1}');
  const r = await zbk(['scrub-report', '--config', config, '--from-file', healed, '--new-only']);
  t.is(r.exitCode, 1, r.stderr);
  t.regex(r.stdout, /first report of this pool/);
  const memory = JSON.parse(await readFile(join(state, 'health.json'), 'utf8')) as Record<string, unknown>;
  t.deepEqual(Object.keys(memory), ['zbkh_m']);
});

test('a user who may not read state_dir (a Nagios check run as nobody) gets the report, and a warning', async (t) => {
  const { dir, state, config } = await setup(t);
  await chmod(dir, 0o755);
  await chmod(config, 0o644);
  await mkdir(state, { mode: 0o700 });
  await writeFile(join(state, 'health.json'), '{}');
  const r = await execa('runuser', ['-u', 'nobody', '--', process.execPath, CLI, 'scrub-report', '--config', config, '--from-file', healed, '--remember', '--format', 'nagios'], { reject: false, env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.is(r.exitCode, 1, r.stderr);
  t.regex(r.stdout, /^ZBK POOLS WARNING - /);
  t.regex(r.stderr, /^zbk: cannot read the report memory \(EACCES: permission denied, .*\): nothing is compared with or remembered$/);
  t.is(await readFile(join(state, 'health.json'), 'utf8'), '{}');
});

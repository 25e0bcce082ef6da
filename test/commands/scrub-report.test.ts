/** `zbk scrub-report --from-file`: the command without zpool, as a remote box's admin uses it. */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { FIXTURES, fixture } from '../helpers/fixtures.js';

const healed = `${FIXTURES}zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt`;
const healthy = `${FIXTURES}zpool-status/fuse-mirror-scrub-completed-clean.txt`;

async function config(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-report-'));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = "${dir}/state"\ntimezone = "UTC"\n`);
  return { dir, file };
}

test('a captured output on stdin: `ssh nas zpool status | zbk scrub-report --from-file -`', async (t) => {
  const { file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--format', 'nagios'], { input: fixture('zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt') });
  t.is(r.exitCode, 1);
  t.regex(r.stdout, /^ZBK POOLS WARNING - .*checksum errors/);
  t.regex(r.stdout, / \| /, 'perfdata');
});

test('JSON in the shape of CONTRACT.md', async (t) => {
  const { file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--format', 'json']);
  const out = JSON.parse(r.stdout) as Record<string, unknown> & { pools: Record<string, unknown>[] };
  t.deepEqual(Object.keys(out), ['alert', 'pools']);
  t.deepEqual(Object.keys(out.pools[0]!), ['name', 'state', 'alert', 'reasons', 'status_id', 'scan', 'devices', 'data_errors', 'error_files', 'capacity']);
  t.is(out.pools[0]!.status_id, 'ZFS-8000-9P');
});

test('--from-file without --new-only neither reads nor writes the state', async (t) => {
  const { dir, file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', healed]);
  t.is(r.exitCode, 1);
  t.notRegex(r.stdout, /new since the last report/);
  await t.throwsAsync(readdir(join(dir, 'state')));
});

test('--new-only prints once, then nothing until something changes', async (t) => {
  const { file } = await config();
  const first = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--new-only']);
  t.regex(first.stdout, /first report of this pool/);
  const second = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--new-only']);
  t.is(second.stdout, '');
  t.is(second.exitCode, 1, 'the exit code still says how the pools are');
});

test('--alert pipes the text report into [alert] command when something new is at warning or above', async (t) => {
  const { dir, file } = await config();
  const mail = join(dir, 'mail.txt');
  await writeFile(file, `${await readFile(file, 'utf8')}\n[alert]\ncommand = "cat > ${mail}"\n`);
  await zbk(['scrub-report', '--config', file, '--from-file', healthy, '--alert']);
  await t.throwsAsync(readFile(mail), undefined, 'nothing to say for a healthy pool');
  await zbk(['scrub-report', '--config', file, '--from-file', healed, '--alert']);
  t.regex(await readFile(mail, 'utf8'), /checksum errors/);
});

test('prometheus text to a file, written atomically', async (t) => {
  const { dir, file } = await config();
  const out = join(dir, 'zbk.prom');
  const r = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--format', 'prometheus', '--output', out]);
  t.is(r.stdout, '');
  const text = await readFile(out, 'utf8');
  t.regex(text, /^# HELP /m);
  t.regex(text, /cksum/);
  t.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp')), []);
});

test('an output zbk cannot read is UNKNOWN, never a silent OK', async (t) => {
  const { file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--format', 'nagios'], { input: 'Segmentation fault\n' });
  t.is(r.exitCode, 3);
  t.regex(r.stdout, /UNKNOWN/);
});

const hostile = `${FIXTURES}zpool-status/hostile-names-proto-constructor-controls.txt`;

test('pools named constructor, toString, __proto__ and -f: reported, remembered, and compared on the next run', async (t) => {
  const { dir, file } = await config();
  const first = await zbk(['scrub-report', '--config', file, '--from-file', hostile, '--new-only', '--format', 'json']);
  t.is(first.exitCode, 2, first.stderr);
  t.deepEqual((JSON.parse(first.stdout) as { pools: { name: string }[] }).pools.map((p) => p.name), ['constructor', 'toString', '__proto__', '-f']);
  const memory = JSON.parse(await readFile(join(dir, 'state', 'health.json'), 'utf8')) as Record<string, unknown>;
  t.deepEqual(Object.keys(memory), ['constructor', 'toString', '__proto__', '-f']);
  const second = await zbk(['scrub-report', '--config', file, '--from-file', hostile, '--new-only']);
  t.is(second.stdout, '', 'nothing new: each pool found its own memory');
  t.is(second.exitCode, 2);
  t.is(second.stderr, '');
});

test('--remember keeps a --from-file report as the one the next compares with', async (t) => {
  const { dir, file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--remember', '--format', 'nagios']);
  t.is(r.exitCode, 1);
  t.regex(r.stdout, /^ZBK POOLS WARNING/);
  t.deepEqual(Object.keys(JSON.parse(await readFile(join(dir, 'state', 'health.json'), 'utf8')) as object), ['zbkh_m']);
  t.is((await zbk(['scrub-report', '--config', file, '--from-file', healed, '--new-only'])).stdout, '');
});

test('150,000 permanent-error lines are CRITICAL with the full count, not a stack overflow', async (t) => {
  const { file } = await config();
  const head = '  pool: tank\n state: ONLINE\n  scan: none requested\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t  ada0 ONLINE 0 0 0\n\n';
  const list = Array.from({ length: 150_000 }, (_, i) => `        tank/fs:/file${i}`).join('\n');
  const input = `${head}errors: Permanent errors have been detected in the following files:\n\n${list}\n`;
  const r = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--format', 'nagios'], { input });
  t.is(r.exitCode, 2, r.stderr);
  t.regex(r.stdout, /^ZBK POOLS CRITICAL - tank: permanent errors in 150000 files: tank\/fs:\/file0, tank\/fs:\/file1, tank\/fs:\/file2 and 149997 more /);
  t.regex(r.stdout, /'tank_data_errors'=150000;;1;0/);
  const text = await zbk(['scrub-report', '--config', file, '--from-file', '-'], { input });
  t.regex(text.stdout, /\.\.\. and 149980 more \(zpool status -v tank lists them all\)/);
  t.true(text.stdout.length < 10_000);
});

test('--from-file on a missing file or a directory is a one-line usage error', async (t) => {
  const { dir, file } = await config();
  for (const [path, why] of [[join(dir, 'nope.txt'), 'no such file'], [dir, 'is a directory']] as const) {
    const r = await zbk(['scrub-report', '--config', file, '--from-file', path]);
    t.is(r.exitCode, 64);
    t.is(r.stderr, `zbk: --from-file ${path}: ${why}`);
    t.is(r.stdout, '');
  }
});

test('control characters from outside are escaped in text and Nagios output', async (t) => {
  const { file } = await config();
  for (const format of ['text', 'nagios']) {
    const r = await zbk(['scrub-report', '--config', file, '--from-file', hostile, '--format', format]);
    t.notRegex(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, format);
    t.regex(r.stdout, /toString\/fs:\/etc\/\\x1b\[2Jcleared-screen/, format);
  }
});

test('--alert mails escaped text', async (t) => {
  const { dir, file } = await config();
  const mail = join(dir, 'mail.txt');
  await writeFile(file, `${await readFile(file, 'utf8')}\n[alert]\ncommand = "cat > ${mail}"\n`);
  await zbk(['scrub-report', '--config', file, '--from-file', hostile, '--alert']);
  const text = await readFile(mail, 'utf8');
  t.regex(text, /invoice\\u202efdp\.exe/);
  t.notRegex(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
});

test('a pool named on the command line that is not a pool name is a usage error before zpool runs', async (t) => {
  const { file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '__proto__']);
  t.is(r.exitCode, 64);
  t.is(r.stderr, 'zbk: scrub-report: "__proto__": a pool name begins with a letter');
  const s = await zbk(['scrub', '--config', file, 'tank\x1b[2J', '--dry-run']);
  t.is(s.exitCode, 64);
  t.is(s.stderr, 'zbk: scrub: "tank\\u001b[2J": a pool name has only letters, digits and _ - . : or space');
});

test('--output naming a directory is a one-line usage error', async (t) => {
  const { dir, file } = await config();
  await mkdir(join(dir, 'out.prom'));
  const r = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--output', join(dir, 'out.prom')]);
  t.is(r.exitCode, 64);
  t.is(r.stderr, `zbk: --output ${dir}/out.prom: is a directory`);
  t.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp')), [], 'no temporary left behind');
});

test('--from-file on an endless input stops at 256 MB with a one-line error; a pipe is read like a file', async (t) => {
  const { file } = await config();
  const r = await zbk(['scrub-report', '--config', file, '--from-file', '/dev/zero']);
  t.is(r.exitCode, 64);
  t.is(r.stderr, 'zbk: --from-file /dev/zero: more than 268435456 bytes, more than zbk reads');
  const piped = await execa('bash', ['-c', `'${process.execPath}' '${CLI}' scrub-report --config '${file}' --format nagios --from-file <(cat '${healed}')`], { reject: false, env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.is(piped.exitCode, 1, piped.stderr);
  t.regex(piped.stdout, /^ZBK POOLS WARNING - zbkh_m: /);
});

/** The healed fixture with /tmp/zbkh/d2's CKSUM set to `n`. */
const healedWith = (n: number) => fixture('zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt').replace(/ 868 {2}96\.3M/, ` ${n}  96.3M`);
type RiseJson = { pools: { devices: { name: string; rise: { read: number; write: number; cksum: number; since: string } | null }[]; reasons: string[] }[] };
const d2 = (stdout: string) => (JSON.parse(stdout) as RiseJson).pools[0]?.devices.find((d) => d.name === '/tmp/zbkh/d2');

test('a Nagios report between two remembered reports changes neither what is new nor the rise', async (t) => {
  const { file } = await config();
  const first = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--remember', '--format', 'json', '--now', '2026-11-25T04:00:00Z'], { input: healedWith(17) });
  t.is(d2(first.stdout)?.rise, null, 'nothing to measure from yet');
  const between = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--format', 'nagios', '--now', '2026-11-26T04:00:00Z'], { input: healedWith(40) });
  t.is(between.exitCode, 1);
  const second = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--remember', '--format', 'json', '--now', '2026-11-27T04:00:00Z'], { input: healedWith(60) });
  t.deepEqual(d2(second.stdout)?.rise, { read: 0, write: 0, cksum: 43, since: '2026-11-25T04:00:00Z' });
  const text = await zbk(['scrub-report', '--config', file, '--from-file', '-', '--new-only', '--now', '2026-11-27T05:00:00Z'], { input: healedWith(60) });
  t.is(text.stdout, '', 'the second remembered report was the last: nothing new since');
});

test('counters that rose in two remembered reports in a row: a warning to replace the disk; a zpool clear gives rise null', async (t) => {
  const { file } = await config();
  const report = (n: number, day: number, extra: string[] = ['--format', 'json']) =>
    zbk(['scrub-report', '--config', file, '--from-file', '-', '--remember', '--now', `2026-11-${day}T04:00:00Z`, ...extra], { input: healedWith(n) });
  await report(3, 10);
  await report(17, 17);
  const third = await report(60, 24, []);
  t.is(third.exitCode, 1);
  t.regex(third.stdout, /^- zbkh_m: \/tmp\/zbkh\/d2: checksum errors 17 → 60 since 2026-11-17, \+43, the second rise in a row — replace it soon: `zpool replace zbkh_m \/tmp\/zbkh\/d2 NEW-DEVICE`$/m);
  t.regex(third.stdout, /^ {2}\* zbkh_m: \/tmp\/zbkh\/d2: checksum errors 17 → 60 since 2026-11-17, \+43$/m);
  const cleared = await report(2, 30);
  t.is(d2(cleared.stdout)?.rise, null, 'the counters fell: a clear, a new baseline, not -58');
  t.false((JSON.parse(cleared.stdout) as RiseJson).pools[0]?.reasons.some((r) => r.includes('replace it soon')));
  t.deepEqual(d2((await report(5, 31)).stdout)?.rise, { read: 0, write: 0, cksum: 3, since: '2026-11-30T04:00:00Z' });
});

test('zone-less times of --from-file are read in the configured zone, or in --tz', async (t) => {
  const { file } = await config();
  await writeFile(file, (await readFile(file, 'utf8')).replace('timezone = "UTC"', 'timezone = "America/New_York"'));
  const end = async (extra: string[]) => {
    const r = await zbk(['scrub-report', '--config', file, '--from-file', healed, '--format', 'json', ...extra]);
    return (JSON.parse(r.stdout) as { pools: { scan: { end_time: string } }[] }).pools[0]?.scan.end_time;
  };
  t.is(await end([]), '2026-11-27T08:55:40Z');
  t.is(await end(['--tz', 'Europe/Athens']), '2026-11-27T01:55:40Z');
  t.is(await end(['--tz', 'UTC']), '2026-11-27T03:55:40Z');
});

test('--tz naming no zone, or without --from-file, is a one-line usage error', async (t) => {
  const { file } = await config();
  for (const [args, message] of [
    [['--from-file', healed, '--tz', 'Mars/Olympus'], 'zbk: --tz "Mars/Olympus": not an IANA time zone (e.g. Europe/Athens, UTC)'],
    [['--from-file', healed, '--tz', '../../etc/passwd'], 'zbk: --tz "../../etc/passwd": not an IANA time zone (e.g. Europe/Athens, UTC)'],
    [['--tz', 'Europe/Athens'], 'zbk: --tz: live zpool output is read in UTC; --tz is for --from-file'],
  ] as const) {
    const r = await zbk(['scrub-report', '--config', file, ...args]);
    t.is(r.exitCode, 64, r.stderr);
    t.is(r.stderr, message);
    t.is(r.stdout, '');
  }
});

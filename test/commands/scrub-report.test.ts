/** `zbk scrub-report --from-file`: the command without zpool, as a remote box's admin uses it. */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { zbk } from '../helpers/cli.js';
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

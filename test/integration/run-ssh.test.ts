/**
 * `zbk run` from ssh sources: a real sshd on 127.0.0.1 (test/helpers/sshd.ts), the job's
 * ssh_key, ssh_port and known_hosts, a real pool. And the failures an admin meets first:
 * nobody listening, a host key that does not match.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { unwrap, zbk } from '../helpers/cli.js';
import { rewrite } from '../helpers/files.js';
import { makePool, sh } from '../helpers/pool.js';
import { freePort, startSshd } from '../helpers/sshd.js';

const NIGHT1 = '2026-03-01T03:00:00Z';
const NIGHT2 = '2026-03-02T03:00:00Z';
const SNAP1 = 'zbk_2026-03-01T030000Z';
const SNAP2 = 'zbk_2026-03-02T030000Z';

async function setup(t: ExecutionContext, jobFor: (src: string) => Record<string, string | number>) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  const job = jobFor(src);
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const dataset = `${pool.name}/vds`;
  const body = Object.entries({ name: 'vds', dataset, ...job }).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n');
  await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = ${JSON.stringify(state)}\n\n[[job]]\n${body}\n`);
  const init = await zbk(['init', '--config', config]);
  t.is(init.exitCode, 0, init.stderr);
  return { pool, src, state, config, dataset };
}

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

const mountpoint = async (dataset: string) => (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();

interface Attempt { outcome: string; message: string | null; snapshot: string | null; stats: { literalData: number } | null }
const lastAttempt = async (state: string): Promise<{ lastAttempt: Attempt; lastSuccess: Attempt | null }> =>
  JSON.parse(await readFile(join(state, 'jobs', 'vds.json'), 'utf8')) as { lastAttempt: Attempt; lastSuccess: Attempt | null };

test.serial('an ssh source: pulled as root@127.0.0.1 through sshd with the job\'s key, port and known_hosts, night after night', async (t) => {
  const sshd = await startSshd(t);
  const pool = await makePool(t);
  const src = join(pool.dir, 'remote-root');
  await mkdir(join(src, 'etc'), { recursive: true });
  await writeFile(join(src, 'etc/passwd'), 'root:*:0:0::/root:/bin/sh\n');
  const db = randomBytes(1 << 20);
  await writeFile(join(src, 'db.bin'), db);
  await sh('ln', [join(src, 'db.bin'), join(src, 'db.hardlink')]);

  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const dataset = `${pool.name}/vds`;
  await writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${state}"

[[job]]
name = "vds"
dataset = "${dataset}"
source = "root@127.0.0.1:${src}"
ssh_key = "${sshd.key}"
ssh_port = ${sshd.port}
known_hosts = "${sshd.knownHosts}"
`);
  t.is((await zbk(['init', '--config', config])).exitCode, 0);
  const dry = await zbk(['run', '--config', config, '--now', NIGHT1, '--dry-run']);
  t.regex(dry.stdout, new RegExp(`^  rsync:     rsync .* -e 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=60 -i ${sshd.key} -p ${sshd.port} -o '\\\\''UserKnownHostsFile="${sshd.knownHosts}"'\\\\''' root@127\\.0\\.0\\.1:${src}/ `, 'm'));

  const r = await zbk(['run', '--config', config, '--now', NIGHT1]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.regex(r.stdout, new RegExp(`^vds: 5 files, 2 changed, .*\\n  snapshot ${dataset}@${SNAP1}$`, 'm'));
  const mnt = await mountpoint(dataset);
  t.deepEqual(await readFile(join(mnt, 'db.bin')), db);
  t.is(await readFile(join(mnt, 'etc/passwd'), 'utf8'), 'root:*:0:0::/root:/bin/sh\n');
  t.is((await execa('stat', ['-c', '%i %h', join(mnt, 'db.bin')])).stdout, (await execa('stat', ['-c', '%i %h', join(mnt, 'db.hardlink')])).stdout, 'hard links stay hard links (-H)');

  db.write('changed on the second day', 500_000);
  await rewrite(join(src, 'db.bin'), db);
  const r2 = await zbk(['run', '--config', config, '--now', NIGHT2]);
  t.is(r2.exitCode, 0, r2.stdout + r2.stderr);
  t.deepEqual(await snapshots(dataset), [SNAP1, SNAP2]);
  t.deepEqual(await readFile(join(mnt, 'db.bin')), db);
  const s = await lastAttempt(state);
  t.is(s.lastAttempt.outcome, 'ok');
  t.true(s.lastAttempt.stats!.literalData <= 2 * 131072, `only the changed block crossed the wire (${s.lastAttempt.stats!.literalData} bytes)`);
  const status = await zbk(['status', '--config', config, '--now', NIGHT2]);
  t.is(status.exitCode, 0, status.stdout);
});

test.serial('a host whose key is not the one in known_hosts is refused: no snapshot, exit 2', async (t) => {
  const sshd = await startSshd(t);
  const other = join(sshd.knownHosts, '..', 'other_host_key');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
  const wrong = join(sshd.knownHosts, '..', 'wrong_known_hosts');
  await writeFile(wrong, `[127.0.0.1]:${sshd.port} ${(await readFile(`${other}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}\n`);
  const { src, state, config, dataset } = await setup(t, (dir) => ({ source: `root@127.0.0.1:${dir}/`, ssh_key: sshd.key, ssh_port: sshd.port, known_hosts: wrong }));
  await writeFile(join(src, 'f'), 'x');
  const r = await zbk(['run', '--config', config, '--now', NIGHT1]);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.deepEqual(await snapshots(dataset), []);
  const s = await lastAttempt(state);
  t.is(s.lastAttempt.outcome, 'failed');
  t.regex(s.lastAttempt.message!, /Host key verification failed/);
  t.regex(s.lastAttempt.message!, /; no snapshot taken$/);
});

test.serial('an unreachable host (nobody listens on the ssh port): no snapshot, exit 2, the state says why, status CRITICAL', async (t) => {
  const port = await freePort();
  const b = await setup(t, (dir) => ({ source: `root@127.0.0.1:${dir}/`, ssh_port: port, timeout: '1min' }));
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.deepEqual(await snapshots(b.dataset), []);
  const s = await lastAttempt(b.state);
  t.is(s.lastAttempt.outcome, 'failed');
  t.is(s.lastAttempt.snapshot, null);
  t.is(s.lastSuccess, null);
  t.regex(s.lastAttempt.message!, new RegExp(`^nothing accepts connections on 127\\.0\\.0\\.1 port ${port} \\(connection refused\\): check ssh_port.*\\nrsync failed with code (?:255|12) \\([a-z ]+\\): ssh: connect to host 127\\.0\\.0\\.1 port ${port}: Connection refused; .*connection unexpectedly closed.*; no snapshot taken$`));
  t.regex(unwrap(r.stdout), /^vds: FAILED: nothing accepts connections on .* rsync failed with code (255|12) .*Connection refused/m);
  t.false(existsSync(join(b.state, 'locks', 'vds.lock')));

  const status = await zbk(['status', '--config', b.config]);
  t.is(status.exitCode, 2, status.stdout);
  t.regex(status.stdout, /^vds\s+CRITICAL\s+never\s/m);
  t.regex(status.stdout, /^vds: never succeeded; last attempt failed: nothing accepts connections on .*\n  rsync failed with code (255|12) .*Connection refused/m);
});

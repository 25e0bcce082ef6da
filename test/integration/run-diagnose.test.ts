/**
 * Failures that say what to do: `zbk run` leads a failed pull's message with zbk's one-line
 * diagnosis and its fix, then rsync's own words; `zbk status` shows why the last run failed.
 * A real sshd on 127.0.0.1 (test/helpers/sshd.ts), a real pool, the real CLI.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { unwrap, zbk } from '../helpers/cli.js';
import { wrap } from '../../src/util/wrap.js';
import { makePool } from '../helpers/pool.js';
import { freePort, startSshd } from '../helpers/sshd.js';

async function setup(t: ExecutionContext) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'remote-root');
  await mkdir(src);
  await writeFile(join(src, 'f'), 'x');
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const write = (job: Record<string, string | number>) => writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${state}"

[[job]]
name = "vds"
dataset = "${pool.name}/vds"
${Object.entries(job).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n')}
`);
  return { pool, src, state, config, write };
}

const lastMessage = async (state: string): Promise<string> =>
  (JSON.parse(await readFile(join(state, 'jobs', 'vds.json'), 'utf8')) as { lastAttempt: { message: string } }).lastAttempt.message;

test.serial('a wrong port: run prints the diagnosis first, then rsync\'s raw text; the state and status keep both', async (t) => {
  const { src, state, config, write } = await setup(t);
  const port = await freePort();
  await write({ source: `root@127.0.0.1:${src}/`, ssh_port: port });
  t.is((await zbk(['init', '--config', config])).exitCode, 0);

  const r = await zbk(['run', '--config', config, '--now', '2026-03-01T03:00:00Z']);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  const diagnosis = `nothing accepts connections on 127.0.0.1 port ${port} (connection refused): check ssh_port, and that sshd runs on 127.0.0.1`;
  // rsync exits 255 or 12, racing ssh (fixtures/README.md).
  const raw = new RegExp(`^rsync failed with code (?:255 \\(unexplained error\\)|12 \\(error in rsync protocol data stream\\)): ssh: connect to host 127\\.0\\.0\\.1 port ${port}: Connection refused; .*; no snapshot taken$`);
  // The diagnosis, then rsync's text on a line of its own (both wrapped for the mail).
  t.true(r.stdout.startsWith(`${wrap(`vds: FAILED: ${diagnosis}`, '    ')}\n    rsync failed with code `), r.stdout);
  const out = unwrap(r.stdout);
  t.regex(out.slice(`vds: FAILED: ${diagnosis} `.length), raw);

  const [first, second, ...rest] = (await lastMessage(state)).split('\n');
  t.is(first, diagnosis);
  t.regex(second!, raw);
  t.deepEqual(rest, []);

  const status = await zbk(['status', '--config', config]);
  t.is(status.exitCode, 2);
  t.regex(status.stdout, new RegExp(`^vds: never succeeded; last attempt failed: ${diagnosis.replace(/[().]/g, '\\$&')}\\n  rsync failed with code (255|12) `, 'm'));
});

test.serial('a host key missing from known_hosts: the exact ssh-keyscan line; and status says why a run failed after a success', async (t) => {
  const sshd = await startSshd(t);
  const { pool, src, state, config, write } = await setup(t);
  const hosts = join(pool.dir, 'known_hosts');
  await writeFile(hosts, '');
  const job = { source: `root@127.0.0.1:${src}/`, ssh_key: sshd.key, ssh_port: sshd.port, known_hosts: hosts };
  await write(job);
  t.is((await zbk(['init', '--config', config])).exitCode, 0);
  const r = await zbk(['run', '--config', config, '--now', '2026-03-01T03:00:00Z']);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.true(unwrap(r.stdout).startsWith(`vds: FAILED: the host key of 127.0.0.1:${sshd.port} is not in ${hosts}: run \`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${hosts}\`, then check`), r.stdout);
  t.regex(unwrap(r.stdout), / rsync failed with code (?:255|12) \([a-z ]+\): No ED25519 host key is known for .*Host key verification failed/);

  await write({ ...job, known_hosts: sshd.knownHosts });
  t.is((await zbk(['run', '--config', config, '--now', '2026-03-02T03:00:00Z'])).exitCode, 0);
  await write({ ...job, known_hosts: sshd.knownHosts, source: `root@127.0.0.1:${src}/gone/` });
  t.is((await zbk(['run', '--config', config, '--now', '2026-03-03T03:00:00Z'])).exitCode, 2);
  t.regex(await lastMessage(state), new RegExp(`^the source path ${src}/gone does not exist on 127\\.0\\.0\\.1: fix the path in source`));
  const status = await zbk(['status', '--config', config, '--now', '2026-03-03T03:00:00Z']);
  t.is(status.exitCode, 0, 'the last success is fresh');
  t.regex(status.stdout, new RegExp(`^vds: last simulated success \\d+[mhd] ago; last attempt failed: the source path ${src}/gone does not exist on 127\\.0\\.0\\.1`, 'm'));
});

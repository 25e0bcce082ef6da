/**
 * `zbk replicate` through a real sshd on 127.0.0.1, the key's commands forced through the
 * zbk-receive wrapper (libexec/zbk-receive) as a target's authorized_keys would have it: full
 * then incremental, the copies inert; a host that does not answer is a warning; a `kill -9`
 * of ssh mid-stream leaves both sides consistent and the next run completes.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, ROOT } from '../helpers/cli.js';
import { freePort, startSshd, type TestSshd } from '../helpers/sshd.js';
import { makeBed, night, nightIso, props, replicateCli, snapName, snapshots, type Bed } from '../helpers/replica-bed.js';

const INERT = { readonly: 'on', canmount: 'noauto', setuid: 'off', exec: 'off', mounted: 'no' };

/** A bed whose target is reached as root@127.0.0.1, the key forced through zbk-receive for the target's dataset. */
async function sshBed(t: ExecutionContext, sizeMiB?: number, log = false): Promise<Bed & { sshd: TestSshd }> {
  const sshd = await startSshd(t, { log });
  const bed = await makeBed(t, { sshd, ...(sizeMiB ? { sizeMiB } : {}) });
  const keys = join(dirname(sshd.key), 'authorized_keys');
  const zfs = (await execa('sh', ['-c', 'command -v zfs'])).stdout.trim();
  const forced = `command="env ZBK_RECEIVE_ZFS=${zfs} ${ROOT}libexec/zbk-receive ${bed.target.name}/zbk",restrict`;
  await writeFile(keys, `${forced} ${await readFile(`${sshd.key}.pub`, 'utf8')}`);
  return { ...bed, sshd };
}

/** The connections sshd accepted so far. */
const accepted = async (sshd: TestSshd) => (await readFile(sshd.log!, 'utf8')).split('\n').filter((l) => /Accepted publickey/.test(l)).length;

/** The ssh processes whose command line names the bed's ssh control directory (a master, or a client of one). */
async function sshUnder(bed: Bed): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'args=']);
  return stdout.split('\n').filter((l) => /^ssh\b/.test(l.trim()) && l.includes(join(bed.state, 'ssh')));
}

test.serial('one ssh connection per run, its master stopped at the end', async (t) => {
  const bed = await sshBed(t, undefined, true);
  await night(bed);
  await night(bed);
  for (const mode of ['full', 'incremental']) {
    const before = await accepted(bed.sshd);
    const r = await replicateCli(bed, '--format', 'json');
    t.is(r.exitCode, 0, r.stderr);
    t.is(JSON.parse(r.stdout).replications[0].mode, mode);
    t.is((await accepted(bed.sshd)) - before, 1, `${mode}: one connection to the target`);
    t.deepEqual(await sshUnder(bed), [], `${mode}: no ssh master left`);
    t.deepEqual(await readdir(join(bed.state, 'ssh')), [], `${mode}: no control socket left`);
    await night(bed);
  }
});

test.serial('through ssh and the forced command: full, then incremental; the copies inert', async (t) => {
  const bed = await sshBed(t);
  await night(bed);
  await night(bed);
  const full = await replicateCli(bed, '--format', 'json');
  t.is(full.exitCode, 0, full.stderr);
  t.like(JSON.parse(full.stdout).replications[0], { mode: 'full', send: [snapName(1), snapName(2)], outcome: 'ok' });
  t.like(await props(bed.destination, 'readonly', 'canmount', 'setuid', 'exec', 'mounted'), INERT);
  await night(bed);
  const inc = await replicateCli(bed);
  t.is(inc.exitCode, 0, inc.stderr);
  t.regex(inc.stdout, /^web → usb: incremental, 1 snapshot, \S+ in \S+$/m);
  t.deepEqual(await snapshots(bed.destination), [snapName(1), snapName(2), snapName(3)]);
  t.is((await props(`${bed.dataset}@${snapName(3)}`, 'userrefs')).userrefs, '1');
});

test.serial('a host that does not answer is a warning (exit 1), in the dry run too; the source keeps the base', async (t) => {
  const bed = await sshBed(t);
  await night(bed);
  t.is((await replicateCli(bed)).exitCode, 0);
  const closed = await freePort();
  await writeFile(bed.config, (await readFile(bed.config, 'utf8')).replace(/ssh_port = \d+/, `ssh_port = ${closed}`));
  await night(bed);
  for (const args of [[], ['--dry-run']]) {
    const r = await replicateCli(bed, ...args);
    t.is(r.exitCode, 1, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stdout, /WARNING: target usb \(root@127\.0\.0\.1\) does not answer: ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused|away: target usb/);
  }
  t.is((await props(`${bed.dataset}@${snapName(1)}`, 'userrefs')).userrefs, '1', 'the base keeps its hold');
});

test.serial('kill -9 of ssh mid-stream: the run fails naming the receive side; both sides consistent; the next run completes', async (t) => {
  const bed = await sshBed(t, 512);
  await night(bed);
  t.is((await replicateCli(bed)).exitCode, 0);
  await night(bed, 128 * 1024 * 1024);
  const child = execa(process.execPath, [CLI, 'replicate', '--config', bed.config, '--now', nightIso(bed.nights)], { reject: false, stdin: 'ignore', env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let ssh: number | undefined;
  for (const deadline = Date.now() + 30_000; ssh === undefined && Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
    const { stdout } = await execa('ps', ['-eo', 'pid=,args=']);
    ssh = stdout.split('\n').map((l) => l.trim().split(/\s+/)).find(([, cmd, ...rest]) => cmd === 'ssh' && rest.includes('receive') && rest.includes(bed.destination))?.map(Number)[0];
  }
  t.truthy(ssh, 'the ssh of the receive ran');
  await new Promise((r) => setTimeout(r, 300));
  process.kill(ssh!, 'SIGKILL');
  const r = await child;
  t.is(r.exitCode, 2);
  t.regex(r.stdout, /FAILED: zfs receive killed by SIGKILL/);
  t.deepEqual(await snapshots(bed.destination), [snapName(1)], 'the target keeps its last complete snapshot');
  const again = await replicateCli(bed, '--format', 'json');
  t.is(again.exitCode, 0, again.stderr);
  t.like(JSON.parse(again.stdout).replications[0], { mode: 'incremental', base: snapName(1), send: [snapName(2)] });
  t.deepEqual(await snapshots(bed.destination), [snapName(1), snapName(2)]);
});

/**
 * src/zfs's replication pieces against a real ZFS (zfs-fuse here: pool v23, the legacy
 * dialect): the capability probe, guids, holds, a target's parent, a received copy made inert,
 * receive's refusals read from a real receive, and libexec/zbk-receive in front of the real zfs.
 */
import { spawn, spawnSync } from 'node:child_process';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ZfsError, classifyStderr } from '../../src/zfs/errors.js';
import { createRunner, SYSTEM_TOOLS } from '../../src/zfs/exec.js';
import { receiveArgs } from '../../src/zfs/receive.js';
import { sendArgs } from '../../src/zfs/send.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { ROOT } from '../helpers/cli.js';
import { COMMAND_TIMEOUT_MS, pastDeadline } from '../helpers/deadline.js';
import { makePool, sh } from '../helpers/pool.js';

const run = createRunner(SYSTEM_TOOLS);
const zfs = new Zfs(run);
const isZfsFuse = async () => (await sh('zpool', ['upgrade', '-v'])).stdout.includes('version 23');

/** `zfs send ARGS | zfs receive ARGS`, two processes joined by a pipe: receive's exit status and stderr. */
function pipe(send: readonly string[], receive: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LC_ALL: 'C' };
    const sender = spawn('zfs', send, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const receiver = spawn('zfs', receive, { env, stdio: [sender.stdout, 'ignore', 'pipe'] });
    const deadline = setTimeout(() => {
      sender.kill('SIGKILL');
      receiver.kill('SIGKILL');
      pastDeadline(`zfs ${send.join(' ')} | zfs ${receive.join(' ')}`).then(reject, reject);
    }, COMMAND_TIMEOUT_MS);
    let stderr = '';
    receiver.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    receiver.on('error', reject);
    receiver.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code: code ?? -1, stderr });
    });
  });
}

test('the probe: zfs-fuse has receive -u and none of the other replication features; modern OpenZFS has each', async (t) => {
  const pool = await makePool(t);
  const caps = await new Zfs(run).capabilities();
  const target = await new Zfs(run, { probeUnder: `${pool.name}/zbk` }).capabilities();
  if (await isZfsFuse()) {
    const legacy = { modern: false, receiveUnmounted: true, resumable: false, bookmarks: false, listHolds: false, sendEstimate: false };
    t.deepEqual(caps, legacy);
    t.deepEqual(target, legacy);
  } else {
    t.deepEqual(caps, { modern: true, receiveUnmounted: true, resumable: true, bookmarks: true, listHolds: true, sendEstimate: true });
    t.deepEqual(target, { modern: true, receiveUnmounted: true, resumable: true, bookmarks: false, listHolds: false, sendEstimate: false });
  }
});

test('snapshots with guids, oldest first; a received copy has the same guids; no dataset is null', async (t) => {
  const pool = await makePool(t);
  const ds = `${pool.name}/a`;
  await sh('zfs', ['create', ds]);
  await sh('zfs', ['create', `${ds}/child`]);
  await zfs.snapshot([`${ds}@zbk_2026-11-24T030000Z`]);
  await zfs.snapshot([`${ds}@zbk_2026-11-25T030000Z`]);
  const source = await zfs.snapshotGuids(ds);
  t.deepEqual(source?.map((s) => s.name), ['zbk_2026-11-24T030000Z', 'zbk_2026-11-25T030000Z']);
  t.true(source!.every((s) => /^\d+$/.test(s.guid) && s.userrefs === 0 && s.creation > 1.7e9));
  t.not(source![0]!.guid, source![1]!.guid);
  t.is(await zfs.snapshotGuids(`${pool.name}/nope`), null);

  const caps = await zfs.capabilities();
  await zfs.createParent(`${pool.name}/zbk`);
  const first = await pipe(sendArgs({ dataset: ds, from: null, to: 'zbk_2026-11-24T030000Z' }), receiveArgs(`${pool.name}/zbk/a`, caps, { force: false }));
  t.is(first.code, 0, first.stderr);
  const next = await pipe(sendArgs({ dataset: ds, from: 'zbk_2026-11-24T030000Z', to: 'zbk_2026-11-25T030000Z' }), receiveArgs(`${pool.name}/zbk/a`, caps, { force: false }));
  t.is(next.code, 0, next.stderr);
  t.deepEqual((await zfs.snapshotGuids(`${pool.name}/zbk/a`))?.map((s) => [s.name, s.guid]), source!.map((s) => [s.name, s.guid]));
});

test('hold and release with zbk\'s tag: twice is fine; a held snapshot cannot be destroyed', async (t) => {
  const pool = await makePool(t);
  const snap = `${pool.name}@zbk_2026-11-25T030000Z`;
  await zfs.snapshot([snap]);
  await zfs.hold('zbk-replica:offsite', [snap]);
  await zfs.hold('zbk-replica:offsite', [snap]);
  t.is((await zfs.snapshotGuids(pool.name))?.[0]?.userrefs, 1);
  const refused = await execa('zfs', ['destroy', snap], { env: { LC_ALL: 'C' }, reject: false });
  t.is(refused.exitCode, 1);
  t.is(classifyStderr(refused.stderr), 'busy', refused.stderr);
  if (await isZfsFuse()) t.is(await zfs.listHolds([snap]), null);
  else t.deepEqual((await zfs.listHolds([snap]))?.map((h) => h.tag), ['zbk-replica:offsite']);
  await zfs.release('zbk-replica:offsite', [snap]);
  await zfs.release('zbk-replica:offsite', [snap]);
  t.is((await zfs.snapshotGuids(pool.name))?.[0]?.userrefs, 0);
});

test('a target: the parent mounts nothing; a received copy made inert and unmounted; receive\'s refusals have their kinds', async (t) => {
  const pool = await makePool(t);
  const ds = `${pool.name}/a`;
  const copy = `${pool.name}/zbk/a`;
  await sh('zfs', ['create', ds]);
  for (const d of [22, 23, 24]) await zfs.snapshot([`${ds}@zbk_2026-11-${d}T030000Z`]);
  await zfs.createParent(`${pool.name}/zbk`);
  await zfs.createParent(`${pool.name}/zbk`);
  t.is((await zfs.getProperties([`${pool.name}/zbk`], ['canmount'])).get(`${pool.name}/zbk`)?.get('canmount'), 'off');
  const caps = await zfs.capabilities();
  const into = receiveArgs(copy, caps, { force: false });
  t.is((await pipe(sendArgs({ dataset: ds, from: null, to: 'zbk_2026-11-22T030000Z' }), into)).code, 0);

  const exists = await pipe(sendArgs({ dataset: ds, from: null, to: 'zbk_2026-11-23T030000Z' }), into);
  t.is(classifyStderr(exists.stderr), 'destination-exists', exists.stderr);
  const noSource = await pipe(['send', '-i', `${ds}@zbk_2026-11-23T030000Z`, `${ds}@zbk_2026-11-24T030000Z`], into);
  t.is(classifyStderr(noSource.stderr), 'no-incremental-source', noSource.stderr);
  // Received unmounted where zfs takes -u (zfs-fuse does too): mount it, write into it, as on a target that went its own way.
  t.is((await zfs.getProperties([copy], ['mounted'])).get(copy)?.get('mounted'), caps.receiveUnmounted ? 'no' : 'yes');
  if (caps.receiveUnmounted) await sh('zfs', ['mount', copy]);
  const mountpoint = (await zfs.getProperties([copy], ['mountpoint'])).get(copy)?.get('mountpoint');
  await sh('sh', ['-c', 'echo x > "$1/written-on-the-target"', 'sh', mountpoint!]);
  const modified = await pipe(sendArgs({ dataset: ds, from: 'zbk_2026-11-22T030000Z', to: 'zbk_2026-11-23T030000Z' }), into);
  t.is(classifyStderr(modified.stderr), 'destination-modified', modified.stderr);

  await zfs.setInert(copy);
  const props = (await zfs.getProperties([copy], ['readonly', 'canmount', 'setuid', 'exec', 'mounted'])).get(copy)!;
  t.deepEqual(Object.fromEntries(props), { readonly: 'on', canmount: 'noauto', setuid: 'off', exec: 'off', mounted: 'no' });
  await zfs.setInert(copy);
});

test('zbk-receive in front of the real zfs: an allowed command runs, a refused one changes nothing', async (t) => {
  const pool = await makePool(t);
  const zfsPath = spawnSync('sh', ['-c', 'command -v zfs'], { encoding: 'utf8' }).stdout.trim();
  const wrapper = (command: string) =>
    execa('sh', [`${ROOT}libexec/zbk-receive`, `${pool.name}/zbk`], { env: { SSH_ORIGINAL_COMMAND: command, ZBK_RECEIVE_ZFS: zfsPath, PATH: '/usr/bin:/bin' }, reject: false });
  t.is((await wrapper(`zfs create -p -o canmount=off ${pool.name}/zbk`)).exitCode, 0);
  await sh('zfs', ['snapshot', `${pool.name}/zbk@keep`]);
  const listed = await wrapper(`zfs get -H -o value canmount ${pool.name}/zbk`);
  t.is(listed.stdout.trim(), 'off');
  for (const refused of [`zfs destroy -r ${pool.name}/zbk@keep`, `zfs destroy ${pool.name}/zbk@keep`, `zfs set mountpoint=/ ${pool.name}/zbk`, `zfs get -H -o value canmount ${pool.name}`]) {
    const r = await wrapper(refused);
    t.is(r.exitCode, 1, refused);
    t.regex(r.stderr, /^zbk-receive: refused: /);
  }
  t.deepEqual((await zfs.snapshotGuids(`${pool.name}/zbk`))?.map((s) => s.name), ['keep']);
  t.not((await zfs.getProperties([`${pool.name}/zbk`], ['mountpoint'])).get(`${pool.name}/zbk`)?.get('mountpoint'), '/');
  await t.throwsAsync(zfs.hold('-r', [`${pool.name}/zbk@keep`]), { instanceOf: ZfsError });
});

/** The receiving side (src/zfs/receive.ts): argv per dialect, the parent, inert copies. */
import test from 'ava';
import { inertArgs, receiveArgs } from '../../src/zfs/receive.js';
import type { Capabilities } from '../../src/zfs/probe.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { fixture } from '../helpers/fixtures.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const modern: Capabilities = { modern: true, receiveUnmounted: true, resumable: true, bookmarks: true, listHolds: true, sendEstimate: true };
const legacy: Capabilities = { modern: false, receiveUnmounted: false, resumable: false, bookmarks: false, listHolds: false, sendEstimate: false };

test('receive: unmounted and resumable where the dialect can; -F only when forced', (t) => {
  t.deepEqual(receiveArgs('vault/zbk/web', modern, { force: false }), ['receive', '-u', '-s', 'vault/zbk/web']);
  t.deepEqual(receiveArgs('vault/zbk/web', modern, { force: true }), ['receive', '-u', '-s', '-F', 'vault/zbk/web']);
  t.deepEqual(receiveArgs('zbkt_cap/zbk/a', legacy, { force: false }), ['receive', 'zbkt_cap/zbk/a']);
  t.deepEqual(receiveArgs('zbkt_cap/zbk/a', legacy, { force: true }), ['receive', '-F', 'zbkt_cap/zbk/a']);
});

test('OpenZFS target: the parent created with canmount=off; the copy made inert, property by property', async (t) => {
  const r = replay(t, `${R}openzfs-capabilities-target.txt`, `${R}openzfs-receive-target.txt`);
  const zfs = new Zfs(r.run, { probeUnder: 'vault/zbk' });
  t.true((await zfs.capabilities()).receiveUnmounted);
  await zfs.createParent('vault/zbk');
  await zfs.setInert('vault/zbk/web');
});

test('zfs-fuse target: the copy, received mounted, is made inert and then unmounted', async (t) => {
  const r = replay(t, `${R}legacy-receive-target.txt`);
  const zfs = new Zfs(r.run, { probeUnder: 'zbkt_cap/zbk' });
  await zfs.createParent('zbkt_cap/zbk');
  await zfs.setInert('zbkt_cap/zbk/a');
  t.deepEqual(r.calls.slice(-2), ['zfs set exec=off zbkt_cap/zbk/a', 'zfs unmount zbkt_cap/zbk/a']);
});

test('an existing parent is left as it is; an inert copy gets nothing set', async (t) => {
  const r = replay(t, [
    exchange('zfs get -H -o value type vault/zbk', { stdout: 'filesystem\n' }),
    exchange('zfs get -H -o property,value canmount,readonly,setuid,exec,mounted vault/zbk/web', { stdout: 'canmount\tnoauto\nreadonly\ton\nsetuid\toff\nexec\toff\nmounted\tno\n' }),
  ]);
  const zfs = new Zfs(r.run);
  await zfs.createParent('vault/zbk');
  await zfs.setInert('vault/zbk/web');
  t.is(r.calls.length, 2);
});

const COPY_ARGS = 'zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs,canmount,readonly,setuid,exec,mounted';

test('zfs-fuse target: the copies and the copy\'s own properties in one get; the copy, received mounted, made inert and unmounted', async (t) => {
  const r = replay(t, [
    exchange(`${COPY_ARGS} zbkt_cap/zbk/a`, { stdout: fixture('zfs/legacy-get-copy.stdout') }),
    ...['canmount=noauto', 'readonly=on', 'setuid=off', 'exec=off'].map((p) => exchange(`zfs set ${p} zbkt_cap/zbk/a`)),
    exchange('zfs unmount zbkt_cap/zbk/a'),
  ]);
  const copies = await new Zfs(r.run, { probeUnder: 'zbkt_cap/zbk' }).copiesMadeInert('zbkt_cap/zbk/a');
  t.deepEqual(copies?.map((c) => c.name), [20, 21, 22].map((d) => `zbk_2026-11-${d}T030000Z`));
  t.is(copies?.[2]?.guid, '16488680917889283230');
  t.is(r.calls.length, 6);
});

test('copiesMadeInert: an inert copy gets nothing set; no copy is null; a copy with no snapshot is left as it is', async (t) => {
  const own = (ds: string) => ['canmount\tnoauto', 'readonly\ton', 'setuid\toff', 'exec\toff', 'mounted\tno'].map((r) => `${ds}\t${r}\n`).join('');
  const r = replay(t, [
    exchange(`${COPY_ARGS} vault/zbk/web`, { stdout: `${own('vault/zbk/web')}vault/zbk/web@zbk_1\tguid\t7\nvault/zbk/web@zbk_1\tcreation\t1\n` }),
    exchange(`${COPY_ARGS} vault/zbk/gone`, { exitCode: 1, stderr: "cannot open 'vault/zbk/gone': dataset does not exist\n" }),
    exchange(`${COPY_ARGS} vault/zbk/bare`, { stdout: 'vault/zbk/bare\tcanmount\ton\nvault/zbk/bare\tmounted\tyes\n' }),
  ]);
  const zfs = new Zfs(r.run);
  t.deepEqual((await zfs.copiesMadeInert('vault/zbk/web'))?.map((c) => c.guid), ['7']);
  t.is(await zfs.copiesMadeInert('vault/zbk/gone'), null);
  t.deepEqual(await zfs.copiesMadeInert('vault/zbk/bare'), []);
  t.is(r.calls.length, 3);
});

test('inertArgs: canmount before the rest, unmount last; a value zfs did not print counts as not set', (t) => {
  t.deepEqual(inertArgs('v/z/a', new Map([['mounted', 'yes']])), [
    ['set', 'canmount=noauto', 'v/z/a'], ['set', 'readonly=on', 'v/z/a'], ['set', 'setuid=off', 'v/z/a'], ['set', 'exec=off', 'v/z/a'], ['unmount', 'v/z/a'],
  ]);
});

/** The receiving side (src/zfs/receive.ts): argv per dialect, the parent, inert copies. */
import test from 'ava';
import { inertArgs, receiveArgs } from '../../src/zfs/receive.js';
import type { Capabilities } from '../../src/zfs/probe.js';
import { Zfs } from '../../src/zfs/zfs.js';
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

test('inertArgs: canmount before the rest, unmount last; a value zfs did not print counts as not set', (t) => {
  t.deepEqual(inertArgs('v/z/a', new Map([['mounted', 'yes']])), [
    ['set', 'canmount=noauto', 'v/z/a'], ['set', 'readonly=on', 'v/z/a'], ['set', 'setuid=off', 'v/z/a'], ['set', 'exec=off', 'v/z/a'], ['unmount', 'v/z/a'],
  ]);
});

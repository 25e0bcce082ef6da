/** zfs send's argv and size estimate (src/zfs/send.ts). */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { estimateSendArgs, parseSendEstimate, sendArgs } from '../../src/zfs/send.js';
import { fixture } from '../helpers/fixtures.js';
import { pick, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const DS = 'tank/backup/web';
const TOKEN = '1-e604ea4bf-e0-789c63a2f6c0a8a2e6e78a9a0dd6ad7f8e5a12b8d2b7a00b5e6c6a9f3f2a0c0e1f9d7d0e00c63c0abe';

test('full, incremental (every snapshot between, -I) and resumed streams; never -p or -R (no properties travel)', (t) => {
  t.deepEqual(sendArgs({ dataset: DS, from: null, to: 'zbk_b' }), ['send', `${DS}@zbk_b`]);
  t.deepEqual(sendArgs({ dataset: DS, from: 'zbk_a', to: 'zbk_b' }), ['send', '-I', `${DS}@zbk_a`, `${DS}@zbk_b`]);
  t.deepEqual(sendArgs({ dataset: DS, from: 'zbk_a', to: 'zbk_b', resumeToken: TOKEN }), ['send', '-t', TOKEN]);
  t.deepEqual(estimateSendArgs({ dataset: DS, from: 'zbk_a', to: 'zbk_b' }), ['send', '-n', '-v', '-P', '-I', `${DS}@zbk_a`, `${DS}@zbk_b`]);
  // From a bookmark: one snapshot with -i (zfs send takes no bookmark with -I).
  t.deepEqual(sendArgs({ dataset: DS, from: null, fromBookmark: 'zbk-replica_offsite_zbk_a', to: 'zbk_b' }), ['send', '-i', `${DS}#zbk-replica_offsite_zbk_a`, `${DS}@zbk_b`]);
});

test('a token or a name zbk cannot vouch for is refused, never passed on', (t) => {
  for (const resumeToken of ['-v', 'abc', '1-2-3', '1-2-3-4 5', `1-2-3-${'0'.repeat(70000)}`]) {
    t.throws(() => sendArgs({ dataset: DS, from: null, to: 'x', resumeToken }), { instanceOf: ZfsError, message: /resume_token zbk cannot read/ });
  }
  for (const name of ['a b', 'a@b', 'a/b', 'a%b', '']) {
    t.throws(() => sendArgs({ dataset: DS, from: name, to: 'x' }), { instanceOf: ZfsError });
    t.throws(() => sendArgs({ dataset: DS, from: null, to: name }), { instanceOf: ZfsError });
  }
  for (const fromBookmark of ['-v', 'a#b', 'a@b', 'a b', '']) {
    t.throws(() => sendArgs({ dataset: DS, from: null, fromBookmark, to: 'x' }), { instanceOf: ZfsError, message: /not a bookmark name zbk sends from/ });
  }
});

test('the estimate is the size line, whatever the lines per snapshot before it', (t) => {
  t.is(parseSendEstimate(fixture('zfs/openzfs-send-estimate-incremental.stdout')), 29446136);
  t.is(parseSendEstimate(fixture('zfs/openzfs-send-estimate-full.stdout')), 2189402624);
  t.is(parseSendEstimate('resume token contents:\nnvlist version: 0\n\tobject = 0x6\nincremental\ta\ttank/a@b\t100\nsize\t100\n'), 100);
  t.is(parseSendEstimate('full\ttank/a@b\t100\n'), null);
  t.is(parseSendEstimate('size\t-1\nsize\t1e9\nsize\t99999999999999999999\n'), null);
});

test('OpenZFS estimates with send -nvP; zfs-fuse cannot, and runs nothing for it', async (t) => {
  const modern = replay(t, pick(`${R}openzfs-capabilities.txt`, 'send -n'), `${R}openzfs-send-estimate.txt`);
  t.is(await modern.zfs.estimateSend({ dataset: DS, from: 'zbk_2026-11-24T030000Z', to: 'zbk_2026-11-26T030000Z' }), 29446136);
  t.is(await modern.zfs.estimateSend({ dataset: DS, from: null, to: 'zbk_2026-11-24T030000Z' }), 2189402624);
  const legacy = replay(t, pick(`${R}legacy-capabilities.txt`, 'send -n'));
  t.is(await legacy.zfs.estimateSend({ dataset: 'zbkt_cap/a', from: null, to: 'zbk_2026-11-24T030000Z' }), null);
  t.is(legacy.calls.length, 1, 'its probe only');
});

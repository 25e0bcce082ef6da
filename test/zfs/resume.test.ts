/** Resume tokens (src/zfs/resume.ts): OpenZFS only. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { exchange, pick, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

test('OpenZFS: the token of an interrupted receive; none after a complete one or where there is no dataset; receive -A', async (t) => {
  const r = replay(t, pick(`${R}openzfs-capabilities-target.txt`, 'receive_resume_token'), `${R}openzfs-resume.txt`);
  const { Zfs } = await import('../../src/zfs/zfs.js');
  const zfs = new Zfs(r.run, { probeUnder: 'vault/zbk' });
  t.regex((await zfs.resumeToken('vault/zbk/web')) ?? '', /^1-e604ea4bf-e0-789c/);
  t.is(await zfs.resumeToken('vault/zbk/db'), null);
  t.is(await zfs.resumeToken('vault/zbk/new'), null);
  await zfs.abortResume('vault/zbk/web');
});

test('zfs-fuse: no tokens, and nothing run to ask', async (t) => {
  const r = replay(t, pick(`${R}legacy-capabilities.txt`, 'receive_resume_token'));
  t.is(await r.zfs.resumeToken('zbkt_cap/zbk/a'), null);
  t.is(r.calls.length, 1, 'its probe only');
});

test('a token zbk cannot read is an error, never passed to zfs send', async (t) => {
  const r = replay(t, pick(`${R}openzfs-capabilities-target.txt`, 'receive_resume_token'), [exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: '-t /etc/passwd\n' })]);
  const { Zfs } = await import('../../src/zfs/zfs.js');
  await t.throwsAsync(new Zfs(r.run, { probeUnder: 'vault/zbk' }).resumeToken('vault/zbk/web'), { instanceOf: ZfsError, message: /vault\/zbk\/web: a receive_resume_token zbk cannot read/ });
});

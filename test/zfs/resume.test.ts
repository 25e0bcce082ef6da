/** Resume tokens (src/zfs/resume.ts): OpenZFS only. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { fixture } from '../helpers/fixtures.js';
import { exchange, pick, replay } from '../helpers/replay.js';
import { Zfs } from '../../src/zfs/zfs.js';

const R = 'zfs/replay/';

test('OpenZFS: the token of an interrupted receive; none after a complete one or where there is no dataset; receive -A', async (t) => {
  const r = replay(t, `${R}openzfs-resume.txt`);
  const zfs = new Zfs(r.run, { probeUnder: 'vault/zbk' });
  t.regex((await zfs.resumeToken('vault/zbk/web')) ?? '', /^1-e604ea4bf-e0-789c/);
  t.is(await zfs.resumeToken('vault/zbk/db'), null);
  t.is(await zfs.resumeToken('vault/zbk/new'), null);
  await zfs.abortResume('vault/zbk/web');
  t.is(r.calls.length, 4, 'the first read was the probe: none other ran');
});

test('OpenZFS: the read that was the probe answers has(resumable), and so -u is taken as there, unprobed', async (t) => {
  // A missing destination proves the property was read: tokens are there, and with them -u.
  const r = replay(t, pick(`${R}openzfs-resume.txt`, 'vault/zbk/new'));
  const zfs = new Zfs(r.run, { probeUnder: 'vault/zbk' });
  t.is(await zfs.resumeToken('vault/zbk/new'), null);
  t.true(await zfs.has('resumable'));
  t.true(await zfs.has('receiveUnmounted'));
  t.is(r.calls.length, 1);
});

test('zfs-fuse: no tokens; the one read is the probe, and -u is still asked', async (t) => {
  // Captured with the probe's dataset: zfs-fuse refuses the property before it looks for any dataset.
  const refused = { exitCode: 2, stderr: fixture('zfs/legacy-probe-resume-token.stderr') };
  const r = replay(t, [exchange('zfs get -H -o value receive_resume_token zbkt_cap/zbk/a', refused)], pick(`${R}legacy-capabilities.txt`, 'receive -u'));
  const zfs = new Zfs(r.run, { probeUnder: 'zbkt_cap/zbk' });
  t.is(await zfs.resumeToken('zbkt_cap/zbk/a'), null);
  t.false(await zfs.has('resumable'));
  t.is(await zfs.resumeToken('zbkt_cap/zbk/a'), null);
  t.true(await zfs.has('receiveUnmounted'));
  t.deepEqual(r.calls, ['zfs get -H -o value receive_resume_token zbkt_cap/zbk/a', 'zfs receive -u']);
});

test('a token zbk cannot read is an error, never passed to zfs send', async (t) => {
  const r = replay(t, [exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: '-t /etc/passwd\n' })]);
  await t.throwsAsync(new Zfs(r.run, { probeUnder: 'vault/zbk' }).resumeToken('vault/zbk/web'), { instanceOf: ZfsError, message: /vault\/zbk\/web: a receive_resume_token zbk cannot read/ });
});

test('a read that fails (no answer from the target) fails has(resumable) too, and is no unhandled rejection', async (t) => {
  const r = replay(t, [exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { exitCode: 255, stderr: 'ssh: connect to host backup2 port 22: Connection refused\n' })]);
  const zfs = new Zfs(r.run, { probeUnder: 'vault/zbk' });
  await t.throwsAsync(zfs.resumeToken('vault/zbk/web'), { instanceOf: ZfsError });
  await t.throwsAsync(zfs.has('resumable'), { instanceOf: ZfsError });
});

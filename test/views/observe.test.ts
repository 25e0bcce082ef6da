import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { observe, walk } from '../../src/views/observe.js';

async function tree() {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-observe-'));
  await mkdir(join(dir, 'etc/rc.d'), { recursive: true });
  await writeFile(join(dir, 'etc/rc.conf'), 'hostname="a"\n');
  const mtime = new Date('2026-03-01T02:00:00.750Z');
  await utimes(join(dir, 'etc/rc.conf'), mtime, mtime);
  await symlink('rc.conf', join(dir, 'etc/link'));
  return dir;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('a file, a symlink (not followed), a directory, and nothing: type, size, mtime to the second, and the hash on request', async (t) => {
  const dir = await tree();
  t.deepEqual(await observe(dir, 'etc/rc.conf', true), { type: 'file', size: 13, mtime: '2026-03-01T02:00:00Z', sha256: sha('hostname="a"\n') });
  t.is((await observe(dir, 'etc/rc.conf', false))!.sha256, null);
  t.like(await observe(dir, 'etc/link', true), { type: 'symlink', sha256: sha('rc.conf') });
  t.like(await observe(dir, 'etc', true), { type: 'directory', sha256: null });
  t.is(await observe(dir, 'etc/missing', true), null);
  t.is(await observe(dir, 'etc/rc.conf/below', true), null, 'below a file: ENOTDIR is nothing there');
  t.deepEqual((await walk(dir, 'etc')).sort(), ['etc/link', 'etc/rc.conf', 'etc/rc.d']);
});

test('a stop (SIGINT, SIGTERM) is heeded before the next path is read, never halfway through a file', async (t) => {
  const dir = await tree();
  const abort = new AbortController();
  abort.abort();
  await t.throwsAsync(observe(dir, 'etc/rc.conf', true, abort.signal), { any: true, name: 'AbortError' });
  await t.throwsAsync(walk(dir, 'etc', abort.signal), { any: true, name: 'AbortError' });
  const going = new AbortController();
  const reading = observe(dir, 'etc/rc.conf', true, going.signal);
  going.abort();
  t.like(await reading, { type: 'file', sha256: sha('hostname="a"\n') }, 'the file begun is read to its end');
});

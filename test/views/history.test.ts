/**
 * `history` end to end above zfs, on replayed zfs and real directory trees: the clone path
 * (zfs-fuse: the "mounted" clones are directories the test fills) and the .zfs/snapshot path.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import type { Job } from '../../src/config/types.js';
import { history } from '../../src/views/history.js';
import { exchange, replay, type Exchange } from '../helpers/replay.js';
import { parsedSource } from '../helpers/config.js';
import { Refused } from '../../src/views/refused.js';

const R = 'zfs/replay/';
const T1 = new Date('2026-11-19T10:00:00Z');
const T2 = new Date('2026-11-22T10:00:00Z');

async function put(root: string, path: string, content: string, mtime: Date): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
  await utimes(join(root, path), mtime, mtime);
}

const mounted = (dataset: string, mountpoint: string) =>
  exchange(`zfs get -H -p -o name,property,value mountpoint,mounted ${dataset}`, { stdout: `${dataset}\tmountpoint\t${mountpoint}\n${dataset}\tmounted\tyes\n` });
const noViews = (dataset: string) => exchange(`zfs get -H -p -r -o name,property,value zbk:view,origin ${dataset}`, { stdout: `${dataset}\tzbk:view\t-\n` });

const NIGHTLY = ['20', '21', '22', '23', '24', '25'].map((d) => `zbk_2026-11-${d}T030000Z`);

/** zbkt_cap/a's six nights as clones, one made, read and destroyed at a time. */
function cloneExchanges(ds: string, state: string): Exchange[] {
  const pid = process.pid;
  return [
    mounted(ds, join(state, '..', 'mnt')),
    noViews(ds),
    ...NIGHTLY.flatMap((n) => [
      exchange(`zfs clone -o readonly=on -o mountpoint=${join(state, 'views', String(pid), n)} -o zbk:view=${pid} ${ds}@${n} ${ds}/zbk-view-${pid}-${n}`),
      exchange(`zfs destroy -f ${ds}/zbk-view-${pid}-${n}`),
    ]),
    noViews(ds),
  ];
}

test('clones (zfs-fuse): versions of a file across six nights, oldest first; deleted then back; a same-size same-mtime rewrite only with --checksum', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'zbk-history-'));
  const state = join(base, 'state');
  const live = join(base, 'mnt');
  await mkdir(state, { mode: 0o700 });
  const view = (n: string) => join(state, 'views', String(process.pid), n);
  const F = 'www/index.html';
  await put(view(NIGHTLY[0]!), F, 'one\n', T1);
  await put(view(NIGHTLY[1]!), F, 'one\n', T1);
  await mkdir(view(NIGHTLY[2]!), { recursive: true });
  await put(view(NIGHTLY[3]!), F, 'two\n', T2);
  for (const n of [NIGHTLY[4]!, NIGHTLY[5]!]) await put(view(n), F, 'TWO\n', T2);
  await put(live, F, 'TWO\n', T2);
  const job = { name: 'web', dataset: 'zbkt_cap/a', source: parsedSource('root@web:/srv/') } as Job;
  const run = async (checksum: boolean) => {
    const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, cloneExchanges('zbkt_cap/a', state));
    return history(r.zfs, { job, stateDir: state, prefix: 'zbk', path: '/srv/www/index.html', checksum, deleted: false });
  };
  const plain = await run(false);
  t.is(plain.path, '/srv/www/index.html');
  t.deepEqual(plain.snapshots, NIGHTLY, 'zbk snapshots only, oldest first');
  t.deepEqual(plain.versions, [
    { type: 'file', size: 4, mtime: '2026-11-19T10:00:00Z', sha256: null, snapshots: NIGHTLY.slice(0, 2), live: false },
    { type: 'file', size: 4, mtime: '2026-11-22T10:00:00Z', sha256: null, snapshots: NIGHTLY.slice(3), live: true },
  ]);
  t.is(plain.entries, null);
  const summed = await run(true);
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  t.deepEqual(summed.versions.map((v) => [v.snapshots, v.live, v.sha256]), [
    [NIGHTLY.slice(0, 2), false, sha('one\n')],
    [NIGHTLY.slice(3, 4), false, sha('two\n')],
    [NIGHTLY.slice(4), true, sha('TWO\n')],
  ]);
});

test('.zfs/snapshot (OpenZFS): a directory PATH lists its entries\' versions; --deleted keeps what the live dataset lost; all snapshots held at once', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'zbk-history-'));
  const live = join(base, 'mnt');
  const ds = 'tank/backup/usa-vds';
  const nights = [1, 2, 3, 4, 5, 6, 7, 8].map((d) => `zbk_2026-10-0${d}T030000Z`);
  const snap = (n: string) => join(live, '.zfs', 'snapshot', n);
  for (const [i, n] of nights.entries()) {
    await put(snap(n), 'etc/a', 'a\n', T1);
    if (i < 3) await put(snap(n), 'etc/b', 'b\n', T1);
    if (i >= 4) await put(snap(n), 'etc/c', 'c\n', T2);
  }
  await put(live, 'etc/a', 'a\n', T1);
  await put(live, 'etc/c', 'c\n', T2);
  // One directory version: each etc/ got the time its files were written, which a loaded machine
  // (CI) once spread over two seconds.
  for (const root of [...nights.map(snap), live]) await utimes(join(root, 'etc'), T1, T1);
  const job = { name: 'usa-vds', dataset: ds, source: parsedSource('root@vds:/') } as Job;
  const held = nights.map((n) => `${ds}@${n}`).join(' ');
  const run = (deleted: boolean) => {
    const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, [
      mounted(ds, live), noViews(ds),
      exchange(`zfs hold zbk-view:${process.pid} ${held}`),
      exchange(`zfs release zbk-view:${process.pid} ${held}`),
    ]);
    return history(r.zfs, { job, stateDir: join(base, 'state'), prefix: 'zbk', path: '/etc/', checksum: false, deleted });
  };
  const all = await run(false);
  t.is(all.path, '/etc');
  t.deepEqual(all.versions.map((v) => v.type), ['directory']);
  t.deepEqual(all.entries!.map((e) => [e.path, e.versions.map((v) => [v.snapshots.length, v.live])]), [
    ['/etc/a', [[8, true]]],
    ['/etc/b', [[3, false]]],
    ['/etc/c', [[4, true]]],
  ]);
  const gone = await run(true);
  t.deepEqual(gone.entries!.map((e) => e.path), ['/etc/b']);
  t.deepEqual(gone.versions, [], 'the directory itself is still there');
});

test('a PATH outside the source directory is refused before any view is made', async (t) => {
  const r = replay(t, []);
  const job = { name: 'web', dataset: 'tank/web', source: parsedSource('root@web:/srv/') } as Job;
  await t.throwsAsync(history(r.zfs, { job, stateDir: '/nonexistent', prefix: 'zbk', path: '/etc/passwd', checksum: false, deleted: false }), {
    instanceOf: Refused, message: /history: "\/etc\/passwd" is not under the job's source directory \/srv\//,
  });
});

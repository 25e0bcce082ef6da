/**
 * `restore` end to end above zfs: replayed zfs (a clone view of zbkt_cap/a, a directory the test
 * fills as zfs would mount it), real rsync, real files. The integration test does the same on a
 * real zfs-fuse pool and over sshd.
 */
import { existsSync } from 'node:fs';
import { chmod, chown, link, lstat, mkdir, mkdtemp, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import type { Job } from '../../src/config/types.js';
import { restore, type RestoreOptions } from '../../src/restore/restore.js';
import { exchange, replay, script, type Exchange } from '../helpers/replay.js';
import { parsedSource } from '../helpers/config.js';
import { Refused } from '../../src/views/refused.js';

const R = 'zfs/replay/';
const DS = 'zbkt_cap/a';
const SNAP = 'zbk_2026-11-22T030000Z';
const T = new Date('2026-11-21T10:00:00Z');

const mounted = (mountpoint: string) =>
  exchange(`zfs get -H -p -o name,property,value mountpoint,mounted ${DS}`, { stdout: `${DS}\tmountpoint\t${mountpoint}\n${DS}\tmounted\tyes\n` });
const noViews = () => exchange(`zfs get -H -p -r -o name,property,value zbk:view,origin ${DS}`, { stdout: `${DS}\tzbk:view\t-\n` });

/**
 * The owner the secret file gets: another user's numbers where this test may give them (root);
 * as the unit tests run in CI (nobody), its own, since only root may give a file away and rsync
 * keeps numbers only for root. test/integration/restore.test.ts proves uid 1234 for real, as root.
 */
const OWNER = process.getuid?.() === 0 ? { uid: 1234, gid: 2345 } : { uid: process.getuid!(), gid: process.getgid!() };

async function bed() {
  const base = await mkdtemp(join(tmpdir(), 'zbk-restore-'));
  const state = join(base, 'state');
  const live = join(base, 'mnt');
  const src = join(base, 'src');
  await mkdir(state, { mode: 0o700 });
  await mkdir(live);
  await mkdir(src);
  const view = join(state, 'views', String(process.pid), SNAP);
  const put = async (path: string, content: string) => {
    await mkdir(dirname(join(view, path)), { recursive: true });
    await writeFile(join(view, path), content);
    await utimes(join(view, path), T, T);
  };
  await put('etc/rc.conf', 'hostname="web"\n');
  await put('etc/secret', 'pass\n');
  await chmod(join(view, 'etc/secret'), 0o600);
  await chown(join(view, 'etc/secret'), OWNER.uid, OWNER.gid);
  await link(join(view, 'etc/rc.conf'), join(view, 'etc/rc.link'));
  await put('-rf', 'a file named -rf\n');
  await symlink('/etc', join(view, 'evil'));
  const job = { name: 'web', dataset: DS, source: parsedSource(`${src}/`), exclude: [], rsyncArgs: ['--inplace'], sshPort: 22, sshKey: null, knownHosts: null, passwordFile: null, timeout: null } as unknown as Job;
  const options = (o: Partial<RestoreOptions>): RestoreOptions => ({
    job, stateDir: state, prefix: 'zbk', at: '2026-11-22T12:00:00Z', paths: ['etc'], to: null, dryRun: false, delete: false, wholeSource: false, ...o,
  });
  /** The exchanges of a restore that opens its view: the mountpoint (first with `to`: the DIR check; asked once), the snapshots, one clone. */
  const exchanges = (to: boolean, clone = true): Exchange[] => [
    ...(to ? [mounted(live)] : []),
    ...replayFile('legacy-probe.txt'),
    ...replayFile('legacy-list-nightly.txt'),
    ...(to ? [] : [mounted(live)]), noViews(),
    ...(clone ? [
      exchange(`zfs clone -o readonly=on -o mountpoint=${view} -o zbk:view=${process.pid} ${DS}@${SNAP} ${DS}/zbk-view-${process.pid}-${SNAP}`),
      exchange(`zfs destroy -f ${DS}/zbk-view-${process.pid}-${SNAP}`),
      noViews(),
    ] : []),
  ];
  return { base, state, live, src, view, job, options, exchanges };
}

const replayFile = (name: string): Exchange[] => script(`${R}${name}`);

test('--to DIR: the snapshot chosen by an instant, PATH laid out as under the source directory, owners, modes, times and hard links', async (t) => {
  const b = await bed();
  const out = join(b.base, 'out');
  const r = replay(t, b.exchanges(true));
  const done = await restore(r.zfs, b.options({ to: out, paths: [`${b.src}/etc`, '-rf'] }));
  t.is(done.choice.snapshot, SNAP);
  t.is(done.verdict.outcome, 'ok');
  t.is(done.destination, `${out}/`);
  t.deepEqual(done.changes.map((c) => [c.change, c.path]).sort(), [
    ['created', `${b.src}/-rf`], ['created', `${b.src}/etc`], ['created', `${b.src}/etc/rc.conf`], ['created', `${b.src}/etc/rc.link`], ['created', `${b.src}/etc/secret`],
  ]);
  t.deepEqual(done.leftOut.map((d) => d.arg), ['--inplace']);
  const secret = await lstat(join(out, 'etc/secret'));
  t.is(secret.uid, OWNER.uid);
  t.is(secret.gid, OWNER.gid);
  t.is(secret.mode & 0o7777, 0o600);
  t.is((await lstat(join(out, 'etc/rc.conf'))).mtimeMs, T.getTime());
  t.is((await lstat(join(out, 'etc/rc.conf'))).ino, (await lstat(join(out, 'etc/rc.link'))).ino);
  t.is(await readFile(join(out, '-rf'), 'utf8'), 'a file named -rf\n');
});

test('--to-source --dry-run lists and changes nothing; deletions only with --delete', async (t) => {
  const b = await bed();
  await mkdir(join(b.src, 'etc'));
  await writeFile(join(b.src, 'etc/rc.conf'), 'changed since\n');
  await writeFile(join(b.src, 'etc/extra'), 'new since\n');
  await writeFile(join(b.src, 'etc/rc.link'), 'hostname="web"\n');
  await utimes(join(b.src, 'etc/rc.link'), T, T);
  const dry = await restore(replay(t, b.exchanges(false)).zfs, b.options({ dryRun: true }));
  t.deepEqual(dry.changes.filter((c) => c.path.startsWith(`${b.src}/etc/`)).map((c) => [c.change, c.path.slice(b.src.length)]).sort(), [
    ['created', '/etc/secret'], ['updated', '/etc/rc.conf'], ['updated', '/etc/rc.link'],
  ]);
  t.is(await readFile(join(b.src, 'etc/rc.conf'), 'utf8'), 'changed since\n');
  const del = await restore(replay(t, b.exchanges(false)).zfs, b.options({ dryRun: true, delete: true }));
  t.true(del.changes.some((c) => c.change === 'deleted' && c.path === `${b.src}/etc/extra`));
  t.true(existsSync(join(b.src, 'etc/extra')));
  const real = await restore(replay(t, b.exchanges(false)).zfs, b.options({}));
  t.is(real.verdict.outcome, 'ok');
  t.is(await readFile(join(b.src, 'etc/rc.conf'), 'utf8'), 'hostname="web"\n');
  t.true(existsSync(join(b.src, 'etc/extra')), 'not deleted without --delete');
  t.is((await lstat(join(b.src, 'etc/rc.conf'))).ino, (await lstat(join(b.src, 'etc/rc.link'))).ino, 'the hard link is back');
  t.false(existsSync(join(b.state, 'locks', 'web.lock')), 'the job\'s lock is released');
});

test('refused before any view: hostile PATHs, the whole source unsaid, DIR inside the mountpoint or state_dir, an --at before every snapshot, a job without a source', async (t) => {
  const b = await bed();
  const cases: Array<[Partial<RestoreOptions>, Exchange[], RegExp]> = [
    [{ paths: ['../../../../../../x'] }, [], /restore: "(\.\.\/)+x" climbs above/],
    [{ paths: ['../x'] }, [], /restore: "\.\.\/x" is not under the job's source directory/],
    [{ paths: ['.'], to: join(b.base, 'o') }, [], /said indirectly/],
    [{ paths: [b.src] }, [], /needs --whole-source/],
    [{ to: join(b.live, 'x') }, [mounted(b.live)], /--to ".*" is inside the mountpoint of zbkt_cap\/a/],
    [{ to: b.state }, [mounted(b.live)], /is inside the job's state_dir/],
    [{ at: '2026-01-01' }, [...replayFile('legacy-probe.txt'), ...replayFile('legacy-list-nightly.txt')], /--at: no zbk_ snapshot at or before 2026-01-01/],
    [{ job: { ...b.job, source: null } }, [], /job web has no source \(snapshot-only\): restore into a directory with --to DIR/],
  ];
  for (const [o, ex, re] of cases) {
    const r = replay(t, ex);
    await t.throwsAsync(restore(r.zfs, b.options(o)), { instanceOf: Refused, message: re });
  }
});

test('refused once the view is open (and the view closed): a symlink on the way out of the snapshot, a PATH the snapshot does not hold, a DIR others can write', async (t) => {
  const b = await bed();
  for (const [paths, re] of [[['evil/passwd'], /evil\/passwd": .*\/evil is a symlink in zbk_2026-11-22T030000Z; name the path the link points to instead/], [['nope'], /"\S+\/nope" does not exist in zbk_2026-11-22T030000Z/]] as const) {
    const r = replay(t, b.exchanges(true));
    await t.throwsAsync(restore(r.zfs, b.options({ paths: [...paths], to: join(b.base, 'never') })), { instanceOf: Refused, message: re });
  }
  t.false(existsSync(join(b.base, 'never')));
  // A directory of one's own that others may write (as /tmp is, but /tmp is root's, which nobody is not).
  const open = join(b.base, 'open');
  await mkdir(open);
  await chmod(open, 0o777);
  const shared = replay(t, b.exchanges(true));
  await t.throwsAsync(restore(shared.zfs, b.options({ to: open })), { instanceOf: Refused, message: /--to ".*" is writable by others than its owner: a link planted in it/ });
});

test('--to DIR --dry-run: DIR is not made, and the changes are listed all the same', async (t) => {
  const b = await bed();
  const out = join(b.base, 'not-yet');
  const r = replay(t, b.exchanges(true));
  const dry = await restore(r.zfs, b.options({ to: out, dryRun: true, paths: ['etc/rc.conf'] }));
  t.deepEqual(dry.changes, [{ path: `${b.src}/etc/rc.conf`, change: 'created' }]);
  t.is(dry.verdict.outcome, 'ok');
  t.false(existsSync(out));
});

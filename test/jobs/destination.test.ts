/** Where rsync --delete may write (pure checks, and the protected places gathered from disk). */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.js';
import {
  atOrAbove, innerMountsProblem, listOnce, mountpointProblem, ownershipProblem, placeProblem, protectedPlaces, rootMountpointProblems, type Place,
} from '../../src/jobs/destination.js';
import { parsedSource } from '../helpers/config.js';

const pulling = { name: 'web', dataset: 'tank/backup/web', source: parsedSource('root@web:/') };
const snapshotOnly = { ...pulling, source: null };
const configured = new Set(['web', 'db']);

test('a pull needs the dataset marked as its job\'s; the refusal names the dataset, the value and the adopt command', (t) => {
  t.is(ownershipProblem(pulling, 'web', configured), null);
  t.is(ownershipProblem(pulling, null, configured),
    "dataset tank/backup/web is not marked as job web's (its zbk:job property is unset); zbk pulls with rsync --delete only into a dataset marked as the job's own: " +
    "if tank/backup/web is this job's, run `zbk init --adopt --job web`");
});

test('a dataset marked as another job\'s is refused, to a pull and to a snapshot-only job alike', (t) => {
  for (const job of [pulling, snapshotOnly]) {
    t.regex(ownershipProblem(job, 'db', configured)!, /^dataset tank\/backup\/web is marked as job db's \(zbk:job=db\), not job web's; two jobs cannot share a dataset/);
    const renamed = ownershipProblem(job, 'old-web', configured)!;
    t.regex(renamed, /is marked as job old-web's \(zbk:job=old-web\), not job web's, and no job old-web is configured/);
    t.regex(renamed, /`zfs set zbk:job=web tank\/backup\/web`\): `zbk init --adopt --job web` never takes a dataset from another job$/);
  }
});

test('a zbk:job value that is not a plain name is shown quoted: it cannot add a line to the output', (t) => {
  t.regex(ownershipProblem(pulling, 'x\n\u001b[2Jok: all fine', configured)!, /^dataset tank\/backup\/web is marked as job "x\\n\\u001b\[2Jok: all fine"'s /);
  t.notRegex(ownershipProblem(pulling, 'x\ny', configured)!, /\n/);
});

test('a snapshot-only job writes no file: an unmarked dataset is fine for it', (t) => {
  t.is(ownershipProblem(snapshotOnly, null, configured), null);
});

const system: Place[] = ['/', '/usr', '/usr/local', '/var/db', '/home', '/usr/home'].map((path) => ({ path, what: `the system directory ${path}` }));

test('a mountpoint at or above a protected place is refused, whatever its spelling; below one is fine', (t) => {
  for (const m of ['/', '//', '/usr', '/usr/', '/usr/local', '/usr//local/', '/var', '/var/db', '/home/..', '/usr/home']) {
    t.truthy(mountpointProblem('tank/x', [m], system), m);
  }
  t.regex(mountpointProblem('tank/x', ['/'], system)!, /^dataset tank\/x has mountpoint \/, at the system directory \/ \(\/\): rsync --delete into it would delete/);
  t.regex(mountpointProblem('tank/x', ['/var'], system)!, /has mountpoint \/var, above the system directory \/var\/db \(\/var\/db\)/);
  for (const m of ['/tank/backup/web', '/usr/local/backup', '/var/db-backup', '/usr2', '/homes/web']) {
    t.is(mountpointProblem('tank/x', [m], system), null, m);
  }
  t.truthy(mountpointProblem('tank/x', ['/backup', '/'], system), 'any spelling of the mountpoint counts (a symlink to /)');
});

test('a mountpoint inside a local source, or above it, is refused', (t) => {
  const places = [{ path: '/srv/data', what: "the job's source" }];
  t.regex(mountpointProblem('tank/x', ['/srv'], places)!, /above the job's source \(\/srv\/data\)/);
  t.regex(mountpointProblem('tank/x', ['/srv/data/backup'], [], ['/srv/data'])!, /^dataset tank\/x has mountpoint \/srv\/data\/backup, inside the job's source \/srv\/data: rsync would copy the backup into itself/);
  t.is(mountpointProblem('tank/x', ['/srv/database'], places, ['/srv/data']), null);
});

test('atOrAbove: a path is at or above itself and its descendants, never above a sibling that shares its prefix', (t) => {
  const segment = fc.stringMatching(/^[a-z.]{1,4}$/).filter((s) => s !== '.' && s !== '..');
  const path = fc.array(segment, { maxLength: 4 }).map((p) => `/${p.join('/')}`);
  fc.assert(fc.property(path, fc.array(segment, { maxLength: 3 }), (a, rest) => atOrAbove(a, [a, ...rest].join('/').replace(/^\/\//, '/'))));
  fc.assert(fc.property(path, segment, segment, (a, x, y) => {
    const base = a === '/' ? '' : a;
    return x === y || !atOrAbove(`${base}/${x}`, `${base}/${y}`);
  }));
  t.false(atOrAbove('/mnt/a', '/mnt/ab'));
  t.true(atOrAbove('/mnt/a/', '/mnt/a/b'));
});

test('a file system mounted inside the dataset is refused, naming it; one not mounted, the dataset itself or a sibling is not', (t) => {
  const fs = [
    { name: 'tank/backup/web', mountpoint: '/tank/backup/web', mounted: true },
    { name: 'tank/backup/web/var', mountpoint: '/tank/backup/web/var', mounted: true },
    { name: 'tank/backup/web/old', mountpoint: '/tank/backup/web/old', mounted: false },
    { name: 'tank/backup/webby', mountpoint: '/tank/backup/webby', mounted: true },
    { name: 'other/thing', mountpoint: '/tank/backup/web/srv/thing', mounted: true },
    { name: 'tank/legacy', mountpoint: 'legacy', mounted: true },
  ];
  t.is(innerMountsProblem('tank/backup/web', ['/tank/backup/web'], fs),
    'dataset tank/backup/web (mounted at /tank/backup/web) has file systems mounted inside it: tank/backup/web/var at /tank/backup/web/var, ' +
    "other/thing at /tank/backup/web/srv/thing; rsync --delete would reach into them and none of this job's snapshots would hold their files: " +
    'make each a job of its own, or mount it elsewhere (`zfs set mountpoint=... tank/backup/web/var`)');
  t.is(innerMountsProblem('tank/backup/web', ['/tank/backup/web'], fs.filter((f) => !f.name.startsWith('tank/backup/web/') && f.name !== 'other/thing')), null);
});

test('the protected places: the system, zbk\'s state and config, a local source, each also as its symlinks resolve', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-places-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'real-state'));
  await symlink(join(dir, 'real-state'), join(dir, 'state'));
  const config = await parseConfig(`[zbk]\nstate_dir = "${dir}/state"\n[[job]]\nname = "web"\ndataset = "tank/web"\nsource = "/srv/www/"\n`, join(dir, 'zbk.toml'));
  const places = await protectedPlaces(config, config.jobs[0]!);
  const where = (what: string) => places.filter((p) => p.what === what).map((p) => p.path);
  t.deepEqual(where('the root file system'), ['/']);
  t.deepEqual(where("zbk's state directory"), [join(dir, 'state'), join(dir, 'real-state')]);
  t.deepEqual(where("zbk's config file"), [join(dir, 'zbk.toml')]);
  t.deepEqual(where("the job's source"), ['/srv/www']);
  t.true(places.some((p) => p.path === '/usr/local'));
});

test('one zfs list for every job of a run: the root check and each job\'s inner mounts share it', async (t) => {
  let listings = 0;
  const filesystems = listOnce({
    listFilesystems: async () => {
      listings += 1;
      return [
        { name: 'tank/backup/web', mountpoint: '/backup/web', mounted: true },
        { name: 'tank/backup/web/logs', mountpoint: '/backup/web/logs', mounted: true },
        { name: 'tank/backup/db', mountpoint: '/backup/db', mounted: true },
      ];
    },
  });
  const config = await parseConfig('[zbk]\nstate_dir = "/var/db/zbk"\n', '/etc/zbk.toml');
  t.deepEqual(await rootMountpointProblems(filesystems, [pulling, { ...pulling, name: 'db', dataset: 'tank/backup/db' }]), []);
  t.regex(await placeProblem(filesystems, config, pulling, '/backup/web', true) ?? '', /has a file system mounted inside it: tank\/backup\/web\/logs at \/backup\/web\/logs/);
  t.is(await placeProblem(filesystems, config, { ...pulling, dataset: 'tank/backup/db' }, '/backup/db', true), null);
  t.is(listings, 1);
});

test('a listing that fails is left to the jobs: each fails with zfs\'s words, and zfs list ran once', async (t) => {
  let listings = 0;
  const filesystems = listOnce({
    listFilesystems: async () => {
      listings += 1;
      throw new Error('zfs list: out of memory');
    },
  });
  const config = await parseConfig('', '/etc/zbk.toml');
  t.deepEqual(await rootMountpointProblems(filesystems, [pulling]), []);
  await t.throwsAsync(placeProblem(filesystems, config, pulling, '/backup/web', true), { message: 'zfs list: out of memory' });
  t.is(listings, 1);
});

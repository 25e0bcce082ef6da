/**
 * The runner against the real rsync (and ssh), on temp dirs; the pulls from an rsync daemon,
 * which runs as root, are in test/integration/rsync-daemon.test.ts. Every test cleans up its
 * processes and files, also when it fails.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, mkdtemp, open, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { rsyncArgv, type SyncJob } from '../../src/sync/args.js';
import type { Progress } from '../../src/sync/progress.js';
import { runRsync } from '../../src/sync/runner.js';
import { parseSource, type Source } from '../../src/sync/source.js';
import { hasVariable, processTable, type Proc } from '../../src/process/ps.js';
import { freePort } from '../helpers/sshd.js';

const MiB = 1024 * 1024;
const MINUTE = 60_000;
const YESTERDAY = new Date('2026-11-25T03:00:00Z');
const TODAY = new Date('2026-11-26T03:00:00Z');

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-sync-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function job(source: string, overrides: Partial<SyncJob> = {}): SyncJob {
  return { source: parseSource(source) as Source, exclude: [], rsyncArgs: [], timeoutMs: MINUTE, ...overrides };
}

function argv(source: string, destination: string, overrides: Partial<SyncJob> = {}, blockSize: number | null = null): string[] {
  return rsyncArgv(job(source, overrides), { destination, blockSize, progress: true });
}

/** Compared here, since ava's deepEqual walks a Buffer byte by byte, for seconds. */
async function sameContent(a: string, b: string): Promise<boolean> {
  return (await readFile(a)).equals(await readFile(b));
}

/** Processes whose command line names `dir`: whatever rsync left running. */
async function processesUsing(dir: string): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

/** Whether `pid` runs; a zombie waiting for a reaper does not. */
async function isRunning(pid: number): Promise<boolean> {
  const { exitCode, stdout } = await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false });
  return exitCode === 0 && !stdout.trim().startsWith('Z');
}

test('a pull copies the tree, hard links included, and reports its stats and progress', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'src/etc'), { recursive: true });
  await writeFile(join(dir, 'src/etc/rc.conf'), 'hostname=vds\n');
  await link(join(dir, 'src/etc/rc.conf'), join(dir, 'src/etc/rc.conf.hardlink'));
  await symlink('rc.conf', join(dir, 'src/etc/link'));
  await writeFile(join(dir, 'src/disk.img'), randomBytes(2 * MiB));
  const progress: Progress[] = [];

  const run = await runRsync(argv(join(dir, 'src'), join(dir, 'dst')), { timeoutMs: MINUTE, onProgress: (p) => progress.push(p) });

  t.like(run, { code: 0, signal: null, outcome: 'ok', message: 'rsync completed' });
  t.like(run.stats, {
    files: { total: 6, reg: 3, dir: 2, link: 1, dev: 0, special: 0 },
    transferred: 2,
    literalData: 2 * MiB + 13,
  });
  t.true(await sameContent(join(dir, 'dst/disk.img'), join(dir, 'src/disk.img')));
  t.is((await stat(join(dir, 'dst/etc/rc.conf'))).ino, (await stat(join(dir, 'dst/etc/rc.conf.hardlink'))).ino);
  t.true(progress.length > 0);
  t.is(progress.at(-1)?.files?.toCheck, 0);
  t.false(run.stdout.includes('%'), 'progress lines are not kept');
  t.true(run.durationMs > 0);
});

test('a missing source fails in rsync\'s words', async (t) => {
  const dir = await tempDir(t);
  const run = await runRsync(argv(join(dir, 'nope'), join(dir, 'dst')), { timeoutMs: MINUTE });
  t.like(run, { code: 23, outcome: 'failed' });
  t.is(run.message, `rsync failed with code 23 (partial transfer due to error): rsync: [sender] change_dir "${dir}/nope" failed: No such file or directory (2)`);
});

test('--inplace --no-whole-file rewrites only the changed block, in the same file', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src/disk.img');
  const dst = join(dir, 'dst/disk.img');
  await mkdir(join(dir, 'src'));
  await writeFile(src, randomBytes(8 * MiB));
  await utimes(src, YESTERDAY, YESTERDAY);
  const pull = () => runRsync(argv(join(dir, 'src'), join(dir, 'dst'), {}, 16384), { timeoutMs: MINUTE });
  t.like(await pull(), { outcome: 'ok', stats: { literalData: 8 * MiB } });
  const inode = (await stat(dst)).ino;

  const file = await open(src, 'r+');
  await file.write(randomBytes(4096), 0, 4096, 4 * MiB);
  await file.close();
  await utimes(src, TODAY, TODAY); // a new mtime, else rsync's quick check may skip the file
  const run = await pull();

  t.is(run.outcome, 'ok');
  t.true(run.stats!.literalData <= 16384, `literal data ${run.stats!.literalData}: one 16K block at most`);
  t.true(run.stats!.matchedData >= 8 * MiB - 16384);
  t.is((await stat(dst)).ino, inode, 'the file was rewritten in place');
  t.true(await sameContent(dst, src));
});

/** A pull that takes about 16 s: a 16 MiB file at 1 MB/s. */
async function slowPull(t: ExecutionContext): Promise<{ dir: string; argv: string[] }> {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src/big'), randomBytes(16 * MiB));
  return { dir, argv: argv(join(dir, 'src'), join(dir, 'dst'), { rsyncArgs: ['--bwlimit=1000'] }) };
}

test('an abort mid-transfer stops rsync and all it started: an interrupted failure', async (t) => {
  const { dir, argv } = await slowPull(t);
  const abort = new AbortController();
  const run = await runRsync(argv, {
    timeoutMs: MINUTE,
    signal: abort.signal,
    onProgress: (p) => p.bytes > 0 && abort.abort(),
  });
  t.like(run, { outcome: 'failed', message: 'rsync was interrupted: aborted', stats: null });
  t.true(run.durationMs < 10_000);
  t.deepEqual(await processesUsing(dir), []);
});

test('a job that outlives its timeout is stopped the same way', async (t) => {
  const { dir, argv } = await slowPull(t);
  const run = await runRsync(argv, { timeoutMs: 1000 });
  t.like(run, { outcome: 'failed', message: 'rsync was interrupted: timed out after 0:00:01' });
  t.true(run.durationMs < 10_000);
  t.deepEqual(await processesUsing(dir), []);
});

test('the tracker (the job\'s lock) learns rsync\'s group, whose every process carries its marker', async (t) => {
  const { argv } = await slowPull(t);
  const marker = 'ab'.repeat(16);
  const groups: number[] = [];
  const abort = new AbortController();
  const seen: { marked: Proc[] | null } = { marked: null }; // the process table as rsync runs
  const run = await runRsync(argv, {
    timeoutMs: MINUTE,
    signal: abort.signal,
    tracker: { env: { ZBK_RUN_ID: marker }, started: async (g) => void groups.push(g), ended: async (g) => void groups.push(-g) },
    onProgress: (p) => {
      if (p.bytes === 0 || seen.marked !== null) return;
      seen.marked = [];
      void processTable().then((table) => {
        seen.marked = table!.procs.filter((x) => hasVariable(x.text, 'ZBK_RUN_ID', marker));
        abort.abort();
      });
    },
  });
  const marked = seen.marked!;
  t.is(run.outcome, 'failed');
  t.is(groups.length, 2);
  t.is(groups[1], -groups[0]!, 'the group ended as it started');
  t.true(marked.length >= 2, 'rsync and the receiver it forked');
  t.true(marked.every((p) => p.pgid === groups[0] && p.text.startsWith('rsync ')));
});

test('an already aborted signal stops rsync at once', async (t) => {
  const { argv } = await slowPull(t);
  const run = await runRsync(argv, { timeoutMs: MINUTE, signal: AbortSignal.abort() });
  t.like(run, { outcome: 'failed', message: 'rsync was interrupted: aborted' });
});

test('what ignores SIGTERM gets SIGKILL after the grace period, children included', async (t) => {
  // Not rsync: a shell that ignores SIGTERM, as a hung ssh might, with a child that inherits that.
  const run = await runRsync(['-c', 'trap "" TERM; sleep 60 & echo $!; wait'], { rsync: 'sh', timeoutMs: 300, killGraceMs: 300 });
  t.like(run, { signal: 'SIGKILL', outcome: 'failed', message: 'rsync was interrupted: timed out after 0:00:00' });
  const child = Number(run.stdout.trim());
  t.true(child > 0);
  t.false(await isRunning(child));
});

test('an rsync that cannot start is a failure that says why', async (t) => {
  const run = await runRsync(['/a/', '/b/'], { rsync: '/nonexistent/rsync', timeoutMs: MINUTE });
  t.like(run, { code: null, signal: null, outcome: 'failed', message: 'could not run /nonexistent/rsync: spawn /nonexistent/rsync ENOENT' });
});

test('ssh gets the key path and port through rsync\'s -e splitting intact', async (t) => {
  const dir = await tempDir(t);
  const key = join(dir, "it's a \"key\"");
  const port = await freePort(); // nothing listens there
  const run = await runRsync(argv('root@127.0.0.1:/etc', join(dir, 'dst'), { sshKey: key, sshPort: port }), { timeoutMs: MINUTE });
  t.is(run.outcome, 'failed');
  t.true(run.stderr.includes(`Warning: Identity file ${key} not accessible: No such file or directory.`), run.stderr);
  t.regex(run.message, new RegExp(`ssh: connect to host 127\\.0\\.0\\.1 port ${port}: Connection refused`));
});

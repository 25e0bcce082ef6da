/**
 * `zbk daemon` as rc.d runs it: a real process, a real zfs-fuse job on a six-field
 * (per-second) schedule, the signals an admin sends, a log reader that goes away, and the
 * real logger(1) sending the log to a syslog socket of the test.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa, type ResultPromise } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setup(t: Parameters<typeof makePool>[0], job: string) {
  const pool = await makePool(t);
  const source = join(pool.dir, 'source');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'hello.txt'), 'hello\n');
  const config = join(pool.dir, 'zbk.toml');
  const write = (text: string) => writeFile(config, text);
  await write(configText(pool, source, job));
  const init = await zbk(['init', '--config', config]);
  if (init.exitCode !== 0) throw new Error(`zbk init: ${init.stderr}`);
  return { pool, source, config, write };
}

function configText(pool: TestPool, source: string, job: string): string {
  return `[zbk]
timezone = "UTC"
state_dir = "${pool.dir}/state"
stop_timeout = "2s"

[scrub]
schedule = "0 4 1 1 *"
pools = ["${pool.name}"]

[[job]]
name = "host"
dataset = "${pool.name}/host"
source = "${source}/"
retention = { keep_last = 1000 }
${job}
`;
}

function startDaemon(
  t: Parameters<typeof makePool>[0],
  config: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): { child: ResultPromise; log: () => string } {
  let log = '';
  const child = execa(process.execPath, [CLI, 'daemon', '--config', config, ...(options.args ?? [])], {
    reject: false, stdin: 'ignore', env: { LC_ALL: 'C', ...options.env },
  });
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return { child, log: () => log };
}

const snapshots = async (dataset: string) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean);

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('a six-field schedule runs the job again and again; SIGTERM exits 0', async (t) => {
  const { pool, config } = await setup(t, 'schedule = "*/3 * * * * *"');
  const d = startDaemon(t, config);
  await until('three snapshots', async () => (await snapshots(`${pool.name}/host`)).length >= 3, 30_000);
  d.child.kill('SIGTERM');
  const r = await d.child;
  t.is(r.exitCode, 0, d.log());
  t.regex(d.log(), /info: job host: missed its last scheduled run \(last success: never\): running it now/);
  t.regex(d.log(), /info: job host: ok .*@zbk_/);
  t.regex(d.log(), /info: SIGTERM: stopping/);
});

test('SIGHUP with a broken config logs file:line and keeps the old schedule running', async (t) => {
  const { pool, config, write } = await setup(t, 'schedule = "*/2 * * * * *"');
  const d = startDaemon(t, config);
  await until('a first snapshot', async () => (await snapshots(`${pool.name}/host`)).length >= 1);
  await write(`${await readFile(config, 'utf8')}\n[bogus]\nx = 1\n`);
  d.child.kill('SIGHUP');
  await until('the reload error', () => /reload failed/.test(d.log()));
  t.regex(d.log(), new RegExp(`error: reload failed, keeping the running config: ${config}:\\d+: bogus: unknown key`));
  const before = (await snapshots(`${pool.name}/host`)).length;
  await until('more snapshots on the old schedule', async () => (await snapshots(`${pool.name}/host`)).length >= before + 2);
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0);
});

test('SIGTERM during a long pull: exit 0 within stop_timeout, no snapshot; the next run is fine', async (t) => {
  const { pool, source, config } = await setup(t, 'schedule = "0 3 1 1 *"\nrsync_args = ["--bwlimit=512"]');
  await sh('dd', ['if=/dev/urandom', `of=${join(source, 'big.img')}`, 'bs=1M', 'count=24', 'status=none']);
  const d = startDaemon(t, config);
  await until('rsync to start', async () => (await sh('pgrep', ['-f', `${source}/`]).then(() => true, () => false)));
  await sleep(1000);
  const t0 = Date.now();
  d.child.kill('SIGTERM');
  const r = await d.child;
  const took = Date.now() - t0;
  t.is(r.exitCode, 0, d.log());
  t.true(took < 2000 + 12_000, `stopped in ${took} ms`);
  t.regex(d.log(), /warning: job host: still running at stop_timeout: stopping it/);
  t.deepEqual(await snapshots(`${pool.name}/host`), [], 'no snapshot of an interrupted pull');
  const state = JSON.parse(await readFile(join(pool.dir, 'state', 'jobs', 'host.json'), 'utf8')) as { lastAttempt: { outcome: string; message: string } };
  t.is(state.lastAttempt.outcome, 'failed');

  await writeFile(config, (await readFile(config, 'utf8')).replace('rsync_args = ["--bwlimit=512"]', ''));
  const next = await zbk(['run', '--config', config]);
  t.is(next.exitCode, 0, next.stderr);
  t.is((await snapshots(`${pool.name}/host`)).length, 1);
});

/** Many jobs that never ran: the daemon starts with a long catch-up (the first job pulls slowly). */
async function catchUpSetup(t: Parameters<typeof makePool>[0]) {
  const { pool, source, config } = await setup(t, 'schedule = "0 3 1 1 *"\nrsync_args = ["--bwlimit=512"]');
  await sh('dd', ['if=/dev/urandom', `of=${join(source, 'big.img')}`, 'bs=1M', 'count=24', 'status=none']);
  const others = Array.from({ length: 50 }, (_, i) =>
    `[[job]]\nname = "other${i}"\ndataset = "${pool.name}/other${i}"\nschedule = "0 3 1 1 *"\nretention = { keep_last = 1 }\n`);
  await writeFile(config, `${await readFile(config, 'utf8')}\n${others.join('\n')}`);
  return { pool, config };
}

/** Resolves when `re` matches the log, rejects when the daemon exits first. */
function logged(d: { child: ResultPromise; log: () => string }, re: RegExp, ms = 20_000): Promise<void> {
  return Promise.race([
    until(`${re}`, () => re.test(d.log()), ms),
    d.child.then((r) => {
      throw new Error(`zbk daemon exited (${r.exitCode ?? r.signal}) before ${re}:\n${d.log()}`);
    }),
  ]);
}

/**
 * The config file as a FIFO: zbk's read of it at start blocks until the test writes, so a signal
 * sent then reaches the daemon in the middle of its start, every time.
 */
async function fifoConfig(config: string) {
  const text = await readFile(config, 'utf8');
  await rm(config);
  await sh('mkfifo', [config]);
  /** Waits until zbk opens the file to read it; `send` the text when told to. */
  return async (d: { child: ResultPromise; log: () => string }) => {
    const exited = d.child.then((r) => {
      throw new Error(`zbk daemon exited (${r.exitCode ?? r.signal}) before it read its config:\n${d.log()}`);
    });
    const writer = await Promise.race([open(config, 'w'), exited]);
    return {
      send: async () => {
        await writer.writeFile(text);
        await writer.close();
      },
    };
  };
}

test('SIGHUP while the daemon reads its config at start is kept: it reloads once started', async (t) => {
  const { config } = await setup(t, 'schedule = "0 3 1 1 *"');
  const reading = await fifoConfig(config);
  const d = startDaemon(t, config);
  const first = await reading(d);
  d.child.kill('SIGHUP');
  await first.send();
  await logged(d, /info: started with/);
  await (await reading(d)).send();
  await logged(d, /info: reloaded /);
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0, d.log());
});

test('SIGTERM while the daemon reads its config at start: it starts nothing and exits 0', async (t) => {
  const { pool, config } = await setup(t, 'schedule = "0 3 1 1 *"');
  const reading = await fifoConfig(config);
  const d = startDaemon(t, config);
  const first = await reading(d);
  d.child.kill('SIGTERM');
  await first.send();
  const r = await d.child;
  t.is(r.exitCode, 0, d.log());
  t.regex(d.log(), /info: SIGTERM: stopping/);
  t.notRegex(d.log(), /job host: started/);
  t.deepEqual(await snapshots(`${pool.name}/host`), []);
});

test('SIGTERM while the catch-up runs at start: the pull gets its stop_timeout, exit 0', async (t) => {
  const { pool, config } = await catchUpSetup(t);
  const d = startDaemon(t, config);
  await logged(d, /info: job host: started/);
  const t0 = Date.now();
  d.child.kill('SIGTERM');
  const r = await d.child;
  const took = Date.now() - t0;
  t.is(r.exitCode, 0, d.log());
  t.regex(d.log(), /info: SIGTERM: stopping/);
  t.regex(d.log(), /warning: job host: still running at stop_timeout: stopping it/);
  t.true(took >= 2000, `waited stop_timeout (2 s): stopped after ${took} ms`);
  t.deepEqual(await snapshots(`${pool.name}/host`), []);
});

test('a log reader that goes away (EPIPE on stderr) does not stop the daemon', async (t) => {
  const { pool, config } = await setup(t, 'schedule = "*/2 * * * * *"');
  const child = spawn(process.execPath, [CLI, 'daemon', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await new Promise((resolve) => child.stderr!.once('data', resolve));
  child.stderr!.destroy();
  // Every run logs; each line now meets a pipe without a reader.
  const before = (await snapshots(`${pool.name}/host`)).length;
  await until('two more runs', async () => (await snapshots(`${pool.name}/host`)).length >= before + 2, 30_000);
  t.is(child.exitCode, null, 'still running');
  child.kill('SIGTERM');
  t.is(await exited, 0);
});

test('a target without a schedule receives each run\'s snapshot right after it; a scheduled one on its own schedule', async (t) => {
  const target = await makePool(t);
  const { pool, config } = await setup(t, `schedule = "0 3 1 1 *"
replicate = ["usb", "tape"]

[[target]]
name = "usb"
dataset = "${target.name}/usb"

[[target]]
name = "tape"
dataset = "${target.name}/tape"
schedule = "*/2 * * * * *"`);
  const d = startDaemon(t, config);
  await logged(d, /info: target usb: host → usb: full, 1 snapshot, \S+ in \S+/, 30_000);
  await logged(d, /info: target tape: host → tape: full, 1 snapshot/, 30_000);
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0, d.log());
  t.regex(d.log(), /info: target tape: next run .* \(\*\/2 \* \* \* \* \*, UTC\)/);
  t.regex(d.log(), /info: started with .* \(1 job, 2 targets\)/);
  const [made] = await snapshots(`${pool.name}/host`);
  const name = made!.split('@')[1];
  t.deepEqual(await snapshots(`${target.name}/usb/host`), [`${target.name}/usb/host@${name}`]);
  t.deepEqual(await snapshots(`${target.name}/tape/host`), [`${target.name}/tape/host@${name}`]);
});

/** A syslog socket of the test's own, and a logger(1) on PATH that sends there (the real one). */
async function syslogCatcher(t: Parameters<typeof makePool>[0], realLogger = '/usr/bin/logger') {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-syslog-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const socket = join(dir, 'log');
  let received = '';
  const server = createServer((c) => c.on('data', (chunk) => (received += chunk.toString())));
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => {
    server.close();
  });
  await writeFile(join(dir, 'logger'), `#!/bin/sh\nexec ${realLogger} --socket '${socket}' "$@"\n`);
  await chmod(join(dir, 'logger'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}` }, received: () => received };
}

test('--syslog daemon: each line reaches syslog through logger(1) at its own priority, errors at err', async (t) => {
  const { config, write } = await setup(t, 'schedule = "0 3 1 1 *"');
  const syslog = await syslogCatcher(t);
  const d = startDaemon(t, config, { args: ['--syslog', 'daemon'], env: syslog.env });
  await until('the start in syslog', () => /zbk: info: started with/.test(syslog.received()));
  await write(`${await readFile(config, 'utf8')}\n[bogus]\nx = 1\n`);
  d.child.kill('SIGHUP');
  await until('the reload error in syslog', () => /reload failed/.test(syslog.received()));
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0);
  const lines = syslog.received().split('\n').filter(Boolean);
  // <PRI> = facility * 8 + severity: daemon is 3; err 3, warning 4, info 6.
  t.true(lines.some((l) => /^<27>.* zbk: error: reload failed, keeping the running config: .*bogus: unknown key/.test(l)), syslog.received());
  t.true(lines.some((l) => /^<30>.* zbk: info: started with /.test(l)));
  t.true(lines.some((l) => /^<30>.* zbk: info: stopped$/.test(l)), 'the last line is flushed before exit');
  t.is(d.log(), '', 'nothing on stderr: daemon(8) would log it a second time');
});

test('--syslog: when logger(1) fails, the lines go to stderr; an unknown facility is a usage error', async (t) => {
  const { config } = await setup(t, 'schedule = "0 3 1 1 *"');
  const syslog = await syslogCatcher(t, '/bin/false');
  const d = startDaemon(t, config, { args: ['--syslog', 'local3'], env: syslog.env });
  await logged(d, /info: started with/);
  t.regex(d.log(), /^info: started with .*\nerror: syslog: logger\(1\) failed: exit 1$/m);
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0);
  t.regex(d.log(), /info: stopped/);

  const bad = await zbk(['daemon', '--config', config, '--syslog', 'kern']);
  t.is(bad.exitCode, 64);
  t.regex(bad.stderr, /--syslog kern: not a facility zbk logs to \(daemon, user, local0/);
});

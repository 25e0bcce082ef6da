/**
 * Replication on zfs-fuse, two pools on this machine:
 * - bytes through zbk's send | receive pipe for an incremental (what zbk's replica state records)
 *   against what zfs reports the snapshots hold, and against the bytes of the bare stream
 *   (`zfs send -I … | wc -c`) of the same snapshots (goal <= 1.05x);
 * - wall time of `zbk replicate` against a bare `zfs send -I … | [ssh …] zfs receive …` of the same
 *   snapshots into a twin copy on the same target pool (goal <= 1.10x), medians of alternating rounds;
 * each for a local target and for one over ssh to the tests' sshd on 127.0.0.1 (LOCAL_ONLY=1: local only),
 * and each of those twice: `zbk replicate` as cron runs it (the CLI, in cron's environment), and
 * replicate() in this process as the daemon runs it after a job's run (no node start or config read).
 * RTT_MS=N adds `ssh-far`: the same sshd through a relay that holds every chunk N/2 ms each way.
 * zfs-fuse (pool v23) has no `written@` property: the snapshots' share is measured by what it has,
 * the growth of `referenced` from the base to the newest snapshot (the data is only added, never
 * rewritten, so that growth is what the snapshots wrote).
 * zbk is the installed form, the bundle build/zbk.cjs (`make bundle`, run here when stale); `--cli PATH` or ZBK_BENCH_CLI runs another.
 *   flock /tmp/zbk-zfs.lock node --import=tsx bench/replicate.ts [--cli dist/cli.js]   (root, zfs-fuse running)
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa } from 'execa';
import { zfsFor } from '../src/cli/context.js';
import { loadConfig } from '../src/config/load.js';
import { replicate, TargetSessions } from '../src/replicate/replicate.js';
import { startSshd } from '../test/helpers/sshd.js';
import { benchCli, median, NIGHTLY_ENV, nightly, scratchPool, sh, timed } from './lib.js';

/** The installed form (build/zbk.cjs, made if stale), or `--cli PATH` / ZBK_BENCH_CLI. */
const CLI = await benchCli();
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** Snapshots per incremental, and MiB of new data each. */
const PER_ROUND = 3;
const MIB_EACH = Number(process.env.MIB_EACH ?? 16);

let night = 0;
const nextName = () => `zbk_${new Date(Date.UTC(2026, 0, 1, 3) + night++ * 86400_000).toISOString().slice(0, 10)}T030000Z`;
const prop = async (name: string, p: string) => Number((await sh('zfs', ['get', '-Hp', '-o', 'value', p, name])).stdout.trim());

/** Adds MIB_EACH of random data to the dataset and snapshots it; returns the snapshot's name. */
async function addNight(mountpoint: string, ds: string): Promise<string> {
  const name = nextName();
  await sh('dd', ['if=/dev/urandom', `of=${join(mountpoint, name)}`, 'bs=1M', `count=${MIB_EACH}`, 'status=none']);
  await sh('zfs', ['snapshot', `${ds}@${name}`]);
  return name;
}

/** One way to reach the target: zbk's config for it, and the bare pipe's receiving end. */
interface Way {
  readonly name: string;
  readonly target: string[];
  /** The shell words before `zfs receive` of the bare pipe ('' locally, `ssh … host` over ssh). */
  readonly remote: string;
  /** The sshd's log, where each connection it accepts is a line (over ssh). */
  readonly sshdLog?: string;
  /**
   * Replicated as the daemon does, in its process (src/commands/daemon.ts): no node start, no
   * config read, the source's zfs and its probes kept from one run to the next.
   */
  readonly inProcess?: boolean;
}

interface Measured {
  readonly zbk: number[];
  readonly bare: number[];
  readonly bytes: { zbk: number; stream: number; referenced: number }[];
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const ways: Way[] = [{ name: 'local', target: [], remote: '' }, { name: 'local-daemon', target: [], remote: '', inProcess: true }];
  try {
    if (!process.env.LOCAL_ONLY) {
      // The tests' sshd on 127.0.0.1 (its own host key, a client key for root), stopped at the end.
      const sshd = await startSshd({ teardown: (f: () => Promise<void> | void) => cleanups.push(f) } as unknown as ExecutionContext, { log: true });
      const ssh = `ssh -i ${sshd.key} -p ${sshd.port} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${sshd.knownHosts} root@127.0.0.1`;
      const target = ['host = "root@127.0.0.1"', `ssh_port = ${sshd.port}`, `ssh_key = "${sshd.key}"`, `known_hosts = "${sshd.knownHosts}"`];
      ways.push({ name: 'ssh', target, remote: ssh, sshdLog: sshd.log! }, { name: 'ssh-daemon', target, remote: ssh, inProcess: true });
      const rtt = Number(process.env.RTT_MS ?? 0);
      if (rtt > 0) {
        // The same sshd RTT_MS away: through a relay on another port that holds every chunk
        // RTT_MS/2 each way, the host key known under that port too.
        const port = await delayingRelay(sshd.port, rtt / 2, cleanups);
        await appendFile(sshd.knownHosts, (await readFile(sshd.knownHosts, 'utf8')).replace(`]:${sshd.port} `, `]:${port} `));
        const far = ssh.replace(`-p ${sshd.port} `, `-p ${port} `);
        ways.push({ name: 'ssh-far', target: target.map((l) => l.replace(`ssh_port = ${sshd.port}`, `ssh_port = ${port}`)), remote: far });
      }
    }
    await measureAll(ways);
  } finally {
    for (const f of cleanups.reverse()) await f();
  }
}

async function measureAll(ways: readonly Way[]): Promise<void> {
  // Room for every night's data (the base, the rounds, the logged round), with a margin; the target holds two copies a way.
  const data = MIB_EACH * (PER_ROUND * (ROUNDS + 1) + 1);
  const src = await scratchPool('repl_src', Math.max(1024, Math.ceil(data * 1.5)), 'zbkt_');
  const dst = await scratchPool('repl_dst', Math.max(2048, Math.ceil(data * 2 * ways.length * 1.5)), 'zbkt_');
  try {
    const ds = `${src.pool}/data`;
    await sh('zfs', ['create', ds]);
    const mountpoint = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', ds])).stdout.trim();
    const config = join(src.dir, 'zbk.toml');
    await writeFile(config, [
      '[zbk]', 'timezone = "UTC"', `state_dir = "${src.dir}/state"`,
      '[[job]]', 'name = "data"', `dataset = "${ds}"`, 'retention = { keep_last = 1000 }', `replicate = [${ways.map((w) => `"${w.name}"`).join(', ')}]`,
      ...ways.flatMap((w) => ['[[target]]', `name = "${w.name}"`, `dataset = "${dst.pool}/zbk-${w.name}"`, ...w.target]),
      '',
    ].join('\n'));
    const loaded = await loadConfig({ path: config });
    const zfs = zfsFor(loaded); // one for every run, as the daemon has
    const zbkReplicate = (w: Way) => async () => {
      if (w.inProcess) {
        const sessions = new TargetSessions(loaded);
        try {
          const job = loaded.jobs[0]!;
          const target = loaded.targets.find((t) => t.name === w.name)!;
          const r = await replicate({ config: loaded, job, target, zfs, now: new Date(), dryRun: false, force: false, sessions });
          if (r.outcome !== 'ok') throw new Error(`replicate() to ${w.name}: ${r.outcome}: ${r.messages.join('; ')}`);
        } finally {
          await sessions.close();
        }
        return;
      }
      const r = await nightly(process.execPath, [CLI, 'replicate', '--config', config, '--target', w.name]).catch((e: { exitCode?: number; stderr?: string }) => e);
      if (r.exitCode !== 0) throw new Error(`zbk replicate --target ${w.name} exited ${r.exitCode}: ${r.stderr}`);
    };
    const bare = (w: Way) => `${dst.pool}/bare-${w.name}`;
    for (const w of ways) await sh('zfs', ['create', bare(w)]);

    // The base, in full to every copy.
    let base = await addNight(mountpoint, ds);
    for (const w of ways) {
      await zbkReplicate(w)();
      await sh('sh', ['-c', `zfs send ${ds}@${base} | ${w.remote} zfs receive ${bare(w)}/data`]);
    }

    const results = new Map<string, Measured>(ways.map((w) => [w.name, { zbk: [], bare: [], bytes: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      let newest = base;
      for (let i = 0; i < PER_ROUND; i++) newest = await addNight(mountpoint, ds);
      await sh('sync', []);
      const stream = Number((await sh('sh', ['-c', `zfs send -I ${ds}@${base} ${ds}@${newest} | wc -c`])).stdout.trim());
      const referenced = (await prop(`${ds}@${newest}`, 'referenced')) - (await prop(`${ds}@${base}`, 'referenced'));
      for (const w of ways) {
        const m = results.get(w.name)!;
        const runBare = () => nightly('sh', ['-c', `zfs send -I ${ds}@${base} ${ds}@${newest} | ${w.remote} zfs receive ${bare(w)}/data`]);
        // Alternate which goes first, so that neither always meets a warm or a cold cache.
        if (round % 2 === 0) {
          m.zbk.push(await timed(zbkReplicate(w)));
          m.bare.push(await timed(runBare));
        } else {
          m.bare.push(await timed(runBare));
          m.zbk.push(await timed(zbkReplicate(w)));
        }
        const state = JSON.parse(await readFile(join(src.dir, 'state', 'replicas', `data@${w.name}.json`), 'utf8')) as {
          lastAttempt: { bytes: number | null; mode: string | null; sent: string[] };
        };
        if (state.lastAttempt.mode !== 'incremental' || state.lastAttempt.sent.length !== PER_ROUND) {
          throw new Error(`zbk replicate --target ${w.name} did not send one incremental of ${PER_ROUND}: ${JSON.stringify(state.lastAttempt)}`);
        }
        m.bytes.push({ zbk: state.lastAttempt.bytes ?? NaN, stream, referenced });
      }
      base = newest;
    }
    // One more incremental each, with zfs and ssh on PATH wrapped to log how zbk calls them.
    const calls = new Map<string, { lines: string[]; connections: number | null }>();
    for (let i = 0; i < PER_ROUND; i++) base = await addNight(mountpoint, ds);
    for (const w of ways) if (!w.inProcess) calls.set(w.name, await loggedCalls(src.dir, config, w));
    const mib = (b: number) => `${(b / 1024 ** 2).toFixed(2)} MiB`;
    console.log(`replicate (zfs-fuse, node ${process.version}, zbk ${CLI}): ${ROUNDS} incrementals of ${PER_ROUND} snapshots x ${MIB_EACH} MiB of new data, medians of ${ROUNDS}`);
    for (const w of ways) {
      const m = results.get(w.name)!;
      const last = m.bytes.at(-1)!;
      const z = median(m.zbk);
      const b = median(m.bare);
      console.log(`${w.name} target:`);
      console.log(`  bytes, last round: zbk's pipe ${mib(last.zbk)}, bare zfs send -I | wc -c ${mib(last.stream)}, referenced growth ${mib(last.referenced)}`);
      console.log(`  zbk's pipe / bare stream        ${median(m.bytes.map((r) => r.zbk / r.stream)).toFixed(4)}x  (goal <= 1.05x)`);
      console.log(`  zbk's pipe / referenced growth  ${median(m.bytes.map((r) => r.zbk / r.referenced)).toFixed(4)}x  (zfs-fuse has no written@; goal <= 1.05x)`);
      console.log(`  bare zfs send -I | ${w.remote ? 'ssh … ' : ''}zfs receive  ${b.toFixed(0)} ms`);
      const what = w.inProcess ? `replicate() in the daemon's process` : `zbk replicate --target ${w.name}`;
      console.log(`  ${what}   ${z.toFixed(0)} ms = ${(z / b).toFixed(3)}x bare (goal <= 1.10x)`);
      // Each round's pair ran back to back: its ratio is freer of the load's drift between rounds.
      const ratios = m.zbk.map((t, i) => t / m.bare[i]!);
      console.log(`  zbk / bare, round by round      ${ratios.map((r) => r.toFixed(3)).join(', ')}: median ${median(ratios).toFixed(3)}x`);
      const logged = calls.get(w.name);
      if (logged) console.log(`  what zbk ran for one incremental: ${tally(logged.lines)}${w.sshdLog ? `; ${logged.connections} ssh connection(s) accepted by sshd` : ''}`);
    }
  } finally {
    await src.cleanup();
    await dst.cleanup();
  }
}

/** A TCP relay on 127.0.0.1 to `port` that delays every chunk by `ms` in each direction; its port. */
async function delayingRelay(port: number, ms: number, cleanups: (() => Promise<void> | void)[]): Promise<number> {
  const open = new Set<{ destroy(): void }>();
  const server = createServer((inner) => {
    const outer = connect(port, '127.0.0.1');
    open.add(inner).add(outer);
    // Same delay for every chunk: the timers fire in the order they were set, so the bytes keep theirs.
    const relay = (from: typeof inner, to: typeof inner) => {
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), ms));
      from.on('end', () => setTimeout(() => to.end(), ms));
      from.on('error', () => to.destroy());
    };
    relay(inner, outer);
    relay(outer, inner);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    for (const socket of open) socket.destroy();
  }));
  return (server.address() as { port: number }).port;
}

/** The zfs and ssh commands `zbk replicate --target` runs, through logging wrappers first on PATH. */
async function loggedCalls(dir: string, config: string, w: Way): Promise<{ lines: string[]; connections: number | null }> {
  const accepted = async () => (w.sshdLog ? (await readFile(w.sshdLog, 'utf8')).split('\n').filter((l) => l.includes('Accepted publickey')).length : 0);
  const before = await accepted();
  const bin = join(dir, `wrapped-${w.name}`);
  const log = join(bin, 'calls');
  await mkdir(bin);
  for (const [name, real] of [['zfs', (await sh('sh', ['-c', 'command -v zfs'])).stdout.trim()], ['ssh', (await sh('sh', ['-c', 'command -v ssh'])).stdout.trim()]]) {
    await writeFile(join(bin, name!), `#!/bin/sh\necho "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  }
  await execa(process.execPath, [CLI, 'replicate', '--config', config, '--target', w.name], { env: { ...NIGHTLY_ENV, PATH: `${bin}:${NIGHTLY_ENV.PATH}` }, extendEnv: false });
  return { lines: (await readFile(log, 'utf8')).split('\n').filter(Boolean), connections: w.sshdLog ? (await accepted()) - before : null };
}

/** `12 zfs (list 4, get 3, …), 9 ssh`: the processes by command and zfs verb (the remote one's for ssh; several share a connection). */
function tally(lines: readonly string[]): string {
  const count = (xs: string[]) => [...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ');
  const verb = (l: string) => /\bzfs (\w+)/.exec(l.replace(/^ssh .*? root@127\.0\.0\.1 /, ''))?.[1] ?? '?';
  const zfs = lines.filter((l) => l.startsWith('zfs '));
  const ssh = lines.filter((l) => l.startsWith('ssh '));
  return [`${zfs.length} zfs here (${count(zfs.map(verb))})`, ...(ssh.length ? [`${ssh.length} ssh commands (${count(ssh.map(verb))})`] : [])].join(', ');
}

await main();

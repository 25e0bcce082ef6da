/**
 * How zbk reaches a target's zfs: on this machine (a pool on a USB disk), or over ssh with the
 * same hardening as pulls (src/sync/args.ts: BatchMode, StrictHostKeyChecking=yes, the key,
 * the port, known_hosts, ConnectTimeout).
 *
 * ssh hands the remote command to a shell as one string. zbk never quotes for that shell: every
 * word must be a plain word, which every shell reads as itself, or the command is refused. The
 * words come after `--` and the destination, so that none of them is read as an ssh option.
 *
 * A target that is away is not a failure of the night: a pool that is not imported here, or a
 * host that does not answer (connection refused, timed out, no route, unknown name).
 *
 * One ssh connection per target and run: the first command opens an OpenSSH master (connection
 * sharing), the others go through it, and close() stops it. Its socket is in <state_dir>/ssh/
 * (private, checked like the other subdirectories), named by a hash of the target's name and
 * everything that chooses the host, so that a master left by a killed run never serves another
 * target or host; it lives on only a few seconds after its last command (ControlPersist).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir } from '../state/dir.js';
import { sshCommand } from '../sync/args.js';
import { createRunner, spawnProcess, type Runner, type Spawn, type Tools } from '../zfs/exec.js';
import { firstComplaint, ZfsError } from '../zfs/errors.js';
import { PipeError, type PipeCommand } from './pipe.js';

/** What the transport needs of a target (config's `[[target]]`). */
export interface TransportTarget {
  readonly name: string;
  readonly host: string | null;
  readonly sshKey: string | null;
  readonly sshPort: number;
  readonly knownHosts: string | null;
  readonly zfs: string;
}

/** The target is not there tonight: a warning, not a failure. */
export class TargetAway extends Error {
  override readonly name = 'TargetAway';
}

export interface Transport {
  /** Runs the target's zfs (src/zfs/ on top: `new Zfs(transport.run)`). */
  readonly run: Runner;
  /** The target's `zfs ARGS` as one side of a pipe. */
  command(args: readonly string[]): PipeCommand;
  /** Why `e` means the target is away, or null when it is a real failure. */
  away(e: unknown): string | null;
  /** Stops what the transport keeps open (the ssh master); the transport is not used after it. */
  close(): Promise<void>;
}

/** Words every shell reads as themselves. */
const PLAIN_WORD = /^[A-Za-z0-9_.:/@=,+-]+$/;

/** The remote command line, or an error naming the word that is not plain. */
export function remoteWords(words: readonly string[]): string[] {
  for (const w of words) {
    if (!PLAIN_WORD.test(w)) {
      throw new ZfsError('failed', `refusing to send ${JSON.stringify(w)} to a remote shell: only plain words ([A-Za-z0-9_.:/@=,+-]) are sent, never quoted`, words);
    }
  }
  return [...words];
}

/** A master that outlives its last command (a run killed with -9) exits after these seconds. */
const CONTROL_PERSIST_S = 5;

/** The longest socket path (FreeBSD's sun_path: 104 bytes with its NUL), less the suffix ssh adds to a master's temporary name. */
const MAX_CONTROL_PATH = 103 - 17;

/**
 * The ssh master's socket path for `target`: `<state_dir>/ssh/<hash>`, the directory made
 * private (or refused as state_dir's other subdirectories are). null (one connection per
 * command) where the path would be too long for a socket, or has a character ssh would expand.
 */
export async function sshControlPath(stateDir: string, target: TransportTarget): Promise<string | null> {
  const dir = join(stateDir, 'ssh');
  const id = JSON.stringify([target.name, target.host, target.sshPort, target.sshKey, target.knownHosts]);
  const path = join(dir, createHash('sha256').update(id).digest('hex').slice(0, 16));
  if (path.length > MAX_CONTROL_PATH || !/^[A-Za-z0-9_./-]+$/.test(path)) return null;
  await ensurePrivateDir(dir);
  return path;
}

/** The options that share one connection through the master at `control`. */
function controlOptions(control: string | null): string[] {
  return control === null ? [] : ['-o', 'ControlMaster=auto', '-o', `ControlPath=${control}`, '-o', `ControlPersist=${CONTROL_PERSIST_S}`];
}

/** ssh's own argv up to the remote command: the pull's hardening, connection sharing, `--`, the destination. */
export function sshArgs(target: TransportTarget & { readonly host: string }, control: string | null = null): string[] {
  const [, ...options] = sshCommand({
    ...(target.sshKey === null ? {} : { sshKey: target.sshKey }),
    sshPort: target.sshPort,
    ...(target.knownHosts === null ? {} : { knownHosts: target.knownHosts }),
  });
  if (!PLAIN_WORD.test(target.host) || target.host.startsWith('-')) {
    throw new ZfsError('failed', `target ${target.name}: host ${JSON.stringify(target.host)} is not a plain ssh destination`);
  }
  return [...options, ...controlOptions(control), '--', target.host];
}

/** ssh exits 255 for its own failures; these say that the host did not answer. */
const UNREACHABLE = /connection refused|connection timed out|operation timed out|no route to host|network is unreachable|host is down|could not resolve hostname|name or service not known|temporary failure in name resolution/i;

/** Why an ssh that exited `code` with `stderr` did not reach the host, or null. */
export function sshAway(code: number | null, stderr: string): string | null {
  return code === 255 && UNREACHABLE.test(stderr) ? firstComplaint(stderr) : null;
}

/**
 * A Spawn that runs `zfs ARGS` on the target through ssh; ssh's own failures are named as ssh's.
 * With a master: the first command runs alone (it opens the master), the others after it, so that
 * commands started together (the probes) do not each open a connection.
 */
function sshSpawn(target: TransportTarget & { readonly host: string }, control: string | null): Spawn {
  let first: Promise<unknown> | undefined;
  return async (file, args, options) => {
    if (first === undefined) {
      const r = spawnSsh(target, control, file, args, options);
      first = r.catch(() => undefined);
      return r;
    }
    await first;
    return spawnSsh(target, control, file, args, options);
  };
}

async function spawnSsh(target: TransportTarget & { readonly host: string }, control: string | null, ...[file, args, options]: Parameters<Spawn>): ReturnType<Spawn> {
  const r = await spawnProcess('ssh', [...sshArgs(target, control), ...remoteWords([file, ...args])], options);
  if (r.errno !== undefined) throw new Error(`target ${target.name}: ssh could not start: ${r.stderr}`);
  const away = sshAway(r.exitCode, r.stderr);
  if (away !== null) throw new TargetAway(`target ${target.name} (${target.host}) does not answer: ${away}`);
  if (r.exitCode === 255) throw new ZfsError('failed', `target ${target.name}: ssh ${target.host}: ${firstComplaint(r.stderr)}`, [file, ...args], r.stderr);
  return r;
}

/** The Runner of a target reached through ssh (through the master at `control`, where there is one). */
export function sshRunner(target: TransportTarget & { readonly host: string }, control: string | null = null): Runner {
  return createRunner({ zfs: target.zfs, zpool: 'zpool' }, sshSpawn(target, control));
}

/** Asks the master at `control` to exit. One already gone (it was never opened, or timed out) is fine: there is nothing to stop. */
async function stopMaster(target: TransportTarget & { readonly host: string }, control: string | null): Promise<void> {
  if (control === null) return;
  const r = await spawnProcess('ssh', ['-o', `ControlPath=${control}`, '-O', 'exit', '--', target.host], {});
  if (r.errno !== undefined) throw new Error(`target ${target.name}: ssh could not start: ${r.stderr}`);
}

/** `control`: the ssh master's socket (sshControlPath), null for one connection per command. */
export function transportFor(target: TransportTarget, tools: Tools, control: string | null = null): Transport {
  const { host } = target;
  if (host === null) {
    return {
      run: createRunner({ zfs: target.zfs, zpool: tools.zpool }),
      command: (args) => ({ file: target.zfs, args: [...args] }),
      away: (e) => (e instanceof ZfsError && e.kind === 'no-such-pool' ? `target ${target.name}: ${e.message}` : null),
      close: async () => {},
    };
  }
  const remote = { ...target, host };
  return {
    run: sshRunner(remote, control),
    command: (args) => ({ file: 'ssh', args: [...sshArgs(remote, control), ...remoteWords([target.zfs, ...args])] }),
    close: () => stopMaster(remote, control),
    away: (e) => {
      if (e instanceof TargetAway) return e.message;
      if (e instanceof PipeError && e.side === 'receive') {
        const away = sshAway(e.result.code, e.stderr);
        if (away !== null) return `target ${target.name} (${host}) does not answer: ${away}`;
      }
      return e instanceof ZfsError && e.kind === 'no-such-pool' ? `target ${target.name}: ${e.message}` : null;
    },
  };
}

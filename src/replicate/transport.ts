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
 */
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

/** ssh's own argv up to the remote command: the pull's hardening, `--`, the destination. */
export function sshArgs(target: TransportTarget & { readonly host: string }): string[] {
  const [, ...options] = sshCommand({
    ...(target.sshKey === null ? {} : { sshKey: target.sshKey }),
    sshPort: target.sshPort,
    ...(target.knownHosts === null ? {} : { knownHosts: target.knownHosts }),
  });
  if (!PLAIN_WORD.test(target.host) || target.host.startsWith('-')) {
    throw new ZfsError('failed', `target ${target.name}: host ${JSON.stringify(target.host)} is not a plain ssh destination`);
  }
  return [...options, '--', target.host];
}

/** ssh exits 255 for its own failures; these say that the host did not answer. */
const UNREACHABLE = /connection refused|connection timed out|operation timed out|no route to host|network is unreachable|host is down|could not resolve hostname|name or service not known|temporary failure in name resolution/i;

/** Why an ssh that exited `code` with `stderr` did not reach the host, or null. */
export function sshAway(code: number | null, stderr: string): string | null {
  return code === 255 && UNREACHABLE.test(stderr) ? firstComplaint(stderr) : null;
}

/** A Spawn that runs `zfs ARGS` on the target through ssh; ssh's own failures are named as ssh's. */
function sshSpawn(target: TransportTarget & { readonly host: string }): Spawn {
  return async (file, args, options) => {
    const r = await spawnProcess('ssh', [...sshArgs(target), ...remoteWords([file, ...args])], options);
    if (r.errno !== undefined) throw new Error(`target ${target.name}: ssh could not start: ${r.stderr}`);
    const away = sshAway(r.exitCode, r.stderr);
    if (away !== null) throw new TargetAway(`target ${target.name} (${target.host}) does not answer: ${away}`);
    if (r.exitCode === 255) throw new ZfsError('failed', `target ${target.name}: ssh ${target.host}: ${firstComplaint(r.stderr)}`, [file, ...args], r.stderr);
    return r;
  };
}

/** The Runner of a target reached through ssh. */
export function sshRunner(target: TransportTarget & { readonly host: string }): Runner {
  return createRunner({ zfs: target.zfs, zpool: 'zpool' }, sshSpawn(target));
}

export function transportFor(target: TransportTarget, tools: Tools): Transport {
  const { host } = target;
  if (host === null) {
    return {
      run: createRunner({ zfs: target.zfs, zpool: tools.zpool }),
      command: (args) => ({ file: target.zfs, args: [...args] }),
      away: (e) => (e instanceof ZfsError && e.kind === 'no-such-pool' ? `target ${target.name}: ${e.message}` : null),
    };
  }
  const remote = { ...target, host };
  return {
    run: sshRunner(remote),
    command: (args) => ({ file: 'ssh', args: [...sshArgs(remote), ...remoteWords([target.zfs, ...args])] }),
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

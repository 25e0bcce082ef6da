/**
 * `zbk check`, the half that touches the world: performs the planned checks in order and
 * judges each observation with src/check/plan.ts. A check whose prerequisites did not pass
 * is not performed (a missing host key would only fail ssh again, less clearly).
 * ssh runs with the job's own options (src/sync/args.ts), so what passes here passes at night.
 */
import { execa } from 'execa';
import type { Config, Job } from '../config/types.js';
import { sshCommand } from '../sync/args.js';
import { knownHostsName } from '../sync/diagnose.js';
import { sourceOperand } from '../sync/source.js';
import { statOrNull } from '../util/stat.js';
import { ZfsError } from '../zfs/errors.js';
import { userProperty } from '../zfs/properties.js';
import type { Zfs } from '../zfs/zfs.js';
import {
  judgeDaemon, judgeDataset, judgeHostKey, judgeKeyFile, judgeKnownHosts, judgeLocalSource, judgePasswordFile, judgePool,
  judgeSsh, planChecks, remoteCommand, unsafeRemotePath, unusedPolicies, type Check, type Ran, type Result, type Status,
} from './plan.js';

/** ssh gives up connecting after its ConnectTimeout (30 s); this bounds a login that hangs after that. */
const REMOTE_TIMEOUT_MS = 90_000;

interface CheckOptions {
  readonly config: Config;
  readonly jobs: readonly Job[];
  readonly zfs: Zfs;
  readonly home: string;
  readonly uid: number;
  /** Called with each result as it is known (checks over ssh take a moment). */
  readonly onResult?: (result: Result) => void;
}

export async function performChecks(o: CheckOptions): Promise<Result[]> {
  const results: Result[] = [];
  const passed = new Set<string>();
  const emit = (r: Result) => {
    results.push(r);
    o.onResult?.(r);
  };
  for (const check of planChecks(o.jobs, o.home)) {
    if (!check.needs.every((id) => passed.has(id))) continue;
    const [status, message] = await perform(check, o);
    if (status !== 'fail') passed.add(check.id);
    emit({ job: check.job, check: check.kind, status, message });
  }
  for (const r of unusedPolicies(o.config)) emit(r);
  return results;
}

async function perform(check: Check, o: CheckOptions): Promise<[Status, string]> {
  switch (check.kind) {
    case 'ssh-key':
      return judgeKeyFile(check.file, await statOrNull(check.file));
    case 'known-hosts':
      return judgeKnownHosts(check.facts, check.required, await statOrNull(check.facts.knownHosts));
    case 'host-key': {
      for (const file of check.files) {
        // -F prints the lines that hold the host's key (hashed names too) and exits 0 when there are any.
        const r = await execa('ssh-keygen', ['-F', knownHostsName(check.facts), '-f', file], { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' } });
        if (r.exitCode === 0 && r.stdout.trim() !== '') return judgeHostKey(check.facts, file);
      }
      return judgeHostKey(check.facts, null);
    }
    case 'ssh': {
      const source = check.facts.source;
      if (source.kind !== 'ssh') return ['fail', 'not an ssh source'];
      if (unsafeRemotePath(source.path)) return ['fail', `the source path ${JSON.stringify(source.path)} holds a control character, which no remote shell reads back safely: rename it`];
      const [ssh, ...options] = sshCommand({
        ...(check.sshKey === null ? {} : { sshKey: check.sshKey }),
        sshPort: check.facts.sshPort,
        ...(check.knownHosts === null ? {} : { knownHosts: check.knownHosts }),
      });
      const destination = `${source.user === null ? '' : `${source.user}@`}${source.host.replace(/^\[(.*)\]$/, '$1')}`;
      return judgeSsh(check.facts, await remote(ssh!, [...options, '--', destination, remoteCommand(source.path)]));
    }
    case 'password-file':
      return judgePasswordFile(check.file, await statOrNull(check.file), o.uid);
    case 'daemon': {
      const passwordFile = check.facts.passwordFile;
      return judgeDaemon(check.facts, await remote('rsync', [
        '--list-only', '--contimeout=30', '--timeout=60',
        ...(passwordFile === null ? [] : [`--password-file=${passwordFile}`]),
        sourceOperand(check.facts.source),
      ]));
    }
    case 'local-source':
      return judgeLocalSource(check.path, await statOrNull(check.path));
    case 'pool':
      return judgePool(check.pool, await poolHealth(o.zfs, check.pool));
    case 'dataset':
      return judgeDataset(check.job, check.dataset, check.mounted, await datasetProps(o.zfs, check.dataset));
  }
}

/**
 * ssh or rsync, detached from any terminal (so that nothing can ask for a password: rsync
 * would read one from /dev/tty), with English messages, and a bound on the time it takes.
 */
async function remote(command: string, args: readonly string[]): Promise<Ran> {
  const r = await execa(command, args, {
    reject: false, stdin: 'ignore', detached: true, timeout: REMOTE_TIMEOUT_MS, env: { LC_ALL: 'C' },
  });
  if (r.exitCode === undefined && r.signal === undefined) return { code: null, stdout: '', stderr: `could not run ${command}: ${r.originalMessage ?? r.message}` };
  return { code: r.exitCode ?? null, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function poolHealth(zfs: Zfs, pool: string): Promise<string | null> {
  try {
    return (await zfs.poolCapacities([pool]))[0]?.health ?? null;
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-pool') return null;
    throw e;
  }
}

async function datasetProps(zfs: Zfs, dataset: string) {
  try {
    const props = (await zfs.getProperties([dataset], ['zbk:job', 'mountpoint', 'mounted'])).get(dataset);
    return { owner: userProperty(props, 'zbk:job'), mountpoint: props?.get('mountpoint') ?? '-', mounted: props?.get('mounted') ?? 'no' };
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') return null;
    throw e;
  }
}

/**
 * Where `zbk run` lets `rsync --delete` write: only into a dataset marked as the job's own
 * (user property `zbk:job`), mounted where nothing else lives. Everything under the
 * mountpoint that the source lacks is deleted, so a wrong dataset, a mountpoint of `/` or
 * of a directory holding the system, zbk's state or the source itself, or a file system
 * mounted inside the dataset, would lose data that no snapshot of the job holds.
 *
 * The checks are pure (facts in, the reason for a refusal out); `protectedPlaces` gathers
 * the facts from the file system.
 */
import { realpath } from 'node:fs/promises';
import { dirname, posix, resolve } from 'node:path';
import type { Config, Job } from '../config/types.js';
import type { Filesystem } from '../zfs/datasets.js';
import type { Zfs } from '../zfs/zfs.js';

/** The user property that says which job a dataset belongs to. */
export const OWNER_PROPERTY = 'zbk:job';

type JobRef = Pick<Job, 'name' | 'dataset' | 'source'>;

export const adoptCommand = (job: string) => `zbk init --adopt --job ${job}`;

/**
 * Why the job may not use its dataset, judged by the dataset's `zbk:job` (`owner`, null when
 * unset). A job that pulls needs the dataset marked as its own. A snapshot-only job writes no
 * file, and `zbk snapshot`/`zbk prune DATASET` work on any dataset anyway, so an unmarked one
 * is fine; but one marked as another job's is refused: this job's retention would prune that
 * job's snapshots.
 */
export function ownershipProblem(job: JobRef, owner: string | null, jobNames: ReadonlySet<string>): string | null {
  if (owner === job.name) return null;
  if (owner === null) {
    if (!job.source) return null;
    return `dataset ${job.dataset} is not marked as job ${job.name}'s (its ${OWNER_PROPERTY} property is unset); ` +
      `zbk pulls with rsync --delete only into a dataset marked as the job's own: if ${job.dataset} is this job's, run \`${adoptCommand(job.name)}\``;
  }
  // The value is anyone's who can run `zfs set`: shown quoted unless it is a plain name.
  const shown = /^[\w.:-]+$/.test(owner) ? owner : JSON.stringify(owner);
  const whose = `dataset ${job.dataset} is marked as job ${shown}'s (${OWNER_PROPERTY}=${shown}), not job ${job.name}'s`;
  return jobNames.has(owner)
    ? `${whose}; two jobs cannot share a dataset: give job ${job.name} a \`dataset\` of its own in the config, then run \`zbk init --job ${job.name}\``
    : `${whose}, and no job ${shown} is configured; if job ${shown} was renamed ${job.name}, mark the dataset by hand ` +
      `(\`zfs set ${OWNER_PROPERTY}=${job.name} ${job.dataset}\`): \`${adoptCommand(job.name)}\` never takes a dataset from another job`;
}

/** A path rsync --delete must never reach, and what it is, for the message. */
export interface Place {
  readonly path: string;
  readonly what: string;
}

/**
 * The system's own directories (hier(7) on FreeBSD, the FHS on Linux). A dataset mounted at
 * one of them, or above one, would have the system deleted under it by the first pull.
 * Directories below them (/var/backup, /usr/local/backup) are fine.
 */
const SYSTEM_DIRECTORIES = [
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/libexec', '/media', '/mnt', '/opt',
  '/proc', '/rescue', '/root', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/home', '/usr/lib',
  '/usr/libexec', '/usr/local', '/usr/local/bin', '/usr/local/etc', '/usr/local/libexec', '/usr/local/sbin',
  '/usr/sbin', '/usr/share', '/var', '/var/db', '/var/log', '/var/run',
];

const clean = (p: string): string => posix.normalize(p).replace(/(.)\/+$/, '$1');

/** `a` is `b` or a directory above it. */
export function atOrAbove(a: string, b: string): boolean {
  const x = clean(a);
  const y = clean(b);
  return x === y || y.startsWith(x === '/' ? '/' : `${x}/`);
}

/**
 * Why rsync may not write to `mountpoint` (each path given as written and as resolved through
 * symlinks): it is, or is above, a protected place; or it lies inside the job's local source
 * (rsync would copy the backup into itself, night after night).
 */
export function mountpointProblem(dataset: string, mountpoints: readonly string[], places: readonly Place[], sources: readonly string[] = []): string | null {
  for (const m of mountpoints) {
    const hit = places.find((p) => atOrAbove(m, p.path));
    if (hit) {
      const at = clean(m) === clean(hit.path) ? 'at' : 'above';
      return `dataset ${dataset} has mountpoint ${m}, ${at} ${hit.what} (${hit.path}): rsync --delete into it would delete ${hit.what}; ` +
        `give the dataset a mountpoint of its own (\`zfs set mountpoint=/backup/... ${dataset}\`)`;
    }
    const source = sources.find((src) => atOrAbove(src, m));
    if (source !== undefined) {
      return `dataset ${dataset} has mountpoint ${m}, inside the job's source ${source}: rsync would copy the backup into itself; ` +
        `give the dataset a mountpoint outside the source`;
    }
  }
  return null;
}

/**
 * Why the job may not pull into its mounted dataset because of other file systems mounted
 * inside it (a child dataset, or any other dataset mounted below its mountpoint).
 *
 * Refused rather than worked around. rsync's `-x` cannot be had for the receiving side
 * alone: it would also keep the pull from crossing the host's own mount points, and a
 * `root@host:/` job would silently lose /home and /var. Excluding the inner mountpoints
 * would silently leave the host's files at those paths out of the backup. And writing into
 * them is wrong both ways: `--delete` empties a file system whose path the source lacks,
 * and what lands in it is in none of this job's snapshots (they are not recursive).
 */
export function innerMountsProblem(dataset: string, mountpoints: readonly string[], filesystems: readonly Filesystem[]): string | null {
  const inner = filesystems.filter((f) => f.mounted && f.name !== dataset && f.mountpoint.startsWith('/') && mountpoints.some((m) => atOrAbove(m, f.mountpoint)));
  if (inner.length === 0) return null;
  return `dataset ${dataset} (mounted at ${mountpoints[0]}) has ${inner.length === 1 ? 'a file system' : 'file systems'} mounted inside it: ` +
    `${inner.map((f) => `${f.name} at ${f.mountpoint}`).join(', ')}; rsync --delete would reach into ${inner.length === 1 ? 'it' : 'them'} and none of this job's snapshots would hold ${inner.length === 1 ? 'its' : 'their'} files: ` +
    `make each a job of its own, or mount it elsewhere (\`zfs set mountpoint=... ${inner[0]!.name}\`)`;
}

/** The job's source directory when it is on this machine, else null. */
function localSource(job: Pick<Job, 'source'>): string | null {
  return job.source?.kind === 'local' ? resolve(job.source.path) : null;
}

/** A path as written and as it resolves through symlinks (when it exists). */
async function spellings(path: string): Promise<string[]> {
  const real = await realpath(path).catch(() => path);
  return real === path ? [path] : [path, real];
}

/** The places no job's mountpoint may be at or above, each as written and as resolved. */
export async function protectedPlaces(config: Config, job: Pick<Job, 'source'>): Promise<Place[]> {
  const named: Place[] = [
    ...SYSTEM_DIRECTORIES.map((path) => ({ path, what: path === '/' ? 'the root file system' : `the system directory ${path}` })),
    { path: resolve(config.stateDir), what: "zbk's state directory" },
    ...(config.file ? [{ path: resolve(config.file), what: "zbk's config file" }] : []),
    ...(process.argv[1] ? [{ path: dirname(resolve(process.argv[1])), what: 'zbk itself' }] : []),
  ];
  const source = localSource(job);
  if (source) named.push({ path: source, what: "the job's source" });
  const out: Place[] = [];
  for (const p of named) for (const path of await spellings(p.path)) out.push({ path, what: p.what });
  return out;
}

/** The file systems as one `zfs list` showed them, listed when first asked for. */
export type FilesystemList = () => Promise<readonly Filesystem[]>;

/** A FilesystemList that lists once, however often it is asked: one listing for every job of a run. */
export function listOnce(zfs: Pick<Zfs, 'listFilesystems'>): FilesystemList {
  let listed: Promise<readonly Filesystem[]> | undefined;
  return () => (listed ??= zfs.listFilesystems());
}

/**
 * Why a pull may not write at this mountpoint (a protected place, inside the source, other
 * file systems mounted inside); null when it may, or when the dataset is not mounted (the
 * caller says so: only a mounted dataset can be checked through, and pulled into).
 */
export async function placeProblem(
  filesystems: FilesystemList,
  config: Config,
  job: Pick<Job, 'dataset' | 'source'>,
  mountpoint: string,
  mounted: boolean,
): Promise<string | null> {
  if (!mountpoint.startsWith('/')) return null;
  const places = await protectedPlaces(config, job);
  const source = localSource(job);
  const sources = source ? await spellings(source) : [];
  // The mountpoint as written first: `/` is refused whether or not it is mounted.
  const written = mountpointProblem(job.dataset, [mountpoint], places, sources);
  if (written || !mounted) return written;
  const mountpoints = await spellings(mountpoint);
  return mountpointProblem(job.dataset, mountpoints, places, sources) ?? innerMountsProblem(job.dataset, mountpoints, await filesystems());
}

/**
 * The jobs that pull into a dataset mounted at `/`: a configuration that can only destroy the
 * system, refused before any job runs (exit 78, as zbk(8) says), not job by job. Other places
 * rsync must not reach are judged per job (mountpointProblem), where the others still run.
 * A dataset that cannot be read here is left to the job, which says why.
 */
export async function rootMountpointProblems(filesystems: FilesystemList, jobs: readonly JobRef[]): Promise<string[]> {
  const pulls = jobs.filter((job) => job.source);
  if (pulls.length === 0) return [];
  // One listing for every job, not a `zfs get` each; a listing that fails is left to the jobs.
  const mountpoints = new Map((await filesystems().catch(() => [])).map((f) => [f.name, f.mountpoint]));
  const problems: string[] = [];
  for (const job of pulls) {
    const mountpoint = mountpoints.get(job.dataset);
    if (mountpoint !== undefined && mountpoint.startsWith('/') && clean(mountpoint) === '/') {
      problems.push(`job ${job.name}: dataset ${job.dataset} has mountpoint /: a pull (rsync --delete) there would delete the system; ` +
        `give the dataset a mountpoint of its own (zfs set mountpoint=/backup/${job.name} ${job.dataset})`);
    }
  }
  return problems;
}

/**
 * The typed face of ZFS that the rest of zbk uses: one per process, the probe cached. It runs
 * everything through the Runner it is given: `createRunner(config.tools)` in zbk
 * (src/cli/context.ts), a replay of recorded answers in unit tests (test/helpers/replay.ts).
 */
import type { Runner } from './exec.js';
import { probeFeature, probeStatusJson, probeZfs, type Capabilities, type Dialect, type Feature } from './probe.js';
import { listSnapshots, snapshotCreateArgs, type Snapshot } from './snapshots.js';
import { destroySnapshots, type DestroyResult } from './destroy.js';
import { createDataset, datasetExists, getProperties, listFilesystems, setProperty, type Filesystem } from './datasets.js';
import { poolCapacities, poolStatus, startScrub, type PoolCapacity } from './pool.js';
import type { PropertyRows } from './properties.js';
import { ZfsError } from './errors.js';
import { clone, destroyFilesystem, listViewClones, type ViewClone } from './clone.js';
import { zfsDiff, type ZfsDiffLine } from './diff.js';
import { snapshotGuids, type GuidSnapshot } from './guids.js';
import { hold, listHolds, release, type Hold } from './holds.js';
import { bookmark, destroyBookmark, listBookmarks, type Bookmark } from './bookmarks.js';
import { estimateSend, type SendSpec } from './send.js';
import { abortResume, probeResumeToken } from './resume.js';
import { copiesMadeInert, createParent, setInert } from './receive.js';

interface SnapshotResult {
  readonly taken: string[];
  readonly failed: { readonly names: string[]; readonly error: ZfsError }[];
}

export interface ZfsOptions {
  /**
   * Probe under this dataset (which need not exist) rather than across the pools: a replication
   * target, maybe behind the forced-command wrapper (libexec/zbk-receive), which lets nothing
   * outside its dataset through. Only what a target does (receive) is probed there.
   */
  readonly probeUnder?: string;
}

export class Zfs {
  private dialectProbe: Promise<Dialect> | undefined;
  private readonly features = new Map<Feature, Promise<boolean>>();
  private caps: Promise<Capabilities> | undefined;
  private statusJson: Promise<boolean> | undefined;

  constructor(
    private readonly run: Runner,
    private readonly options: ZfsOptions = {},
  ) {}

  /** The dialect, one probe for the whole process: all that listing, snapshots and destroys need. */
  dialect(): Promise<Dialect> {
    return (this.dialectProbe ??= probeZfs(this.run, this.options.probeUnder));
  }

  /**
   * One replication feature: one probe, run once, only when its answer is used. A zfs with
   * resume tokens (OpenZFS 0.7, FreeBSD 11) has `receive -u` (FreeBSD 7, ZFS on Linux 0.6):
   * known that, -u is not probed.
   */
  has(feature: Feature): Promise<boolean> {
    let p = this.features.get(feature);
    if (p === undefined) {
      const probe = () => probeFeature(this.run, feature, this.options.probeUnder);
      const implied = feature === 'receiveUnmounted' ? this.features.get('resumable') : undefined;
      this.features.set(feature, (p = implied ? implied.then((yes) => yes || probe()) : probe()));
    }
    return p;
  }

  /** The dialect and every replication feature (each probe run once). */
  capabilities(): Promise<Capabilities> {
    const features = ['receiveUnmounted', 'resumable', 'bookmarks', 'listHolds', 'sendEstimate'] as const;
    return (this.caps ??= Promise.all([this.dialect(), ...features.map((f) => this.has(f))]).then(([dialect, ...found]) => ({
      ...dialect, ...(Object.fromEntries(features.map((f, i) => [f, found[i]!])) as Record<Feature, boolean>),
    })));
  }

  async listSnapshots(dataset: string): Promise<Snapshot[]> {
    return listSnapshots(this.run, await this.dialect(), dataset);
  }

  /**
   * Takes `ds@name` for every name, atomically per pool where ZFS allows. A group that fails
   * does not stop the others: each failure comes back with the names it covered.
   */
  async snapshot(fullNames: readonly string[]): Promise<SnapshotResult> {
    const result: SnapshotResult = { taken: [], failed: [] };
    for (const args of snapshotCreateArgs(fullNames, await this.dialect())) {
      const names = args.slice(1);
      try {
        await this.run('zfs', args);
        result.taken.push(...names);
      } catch (e) {
        if (!(e instanceof ZfsError)) throw e;
        result.failed.push({ names, error: e });
      }
    }
    return result;
  }

  async destroySnapshots(dataset: string, names: readonly string[], batchSize: number): Promise<DestroyResult> {
    return destroySnapshots(this.run, await this.dialect(), dataset, names, batchSize);
  }

  getProperties(names: readonly string[], props: readonly string[]): Promise<PropertyRows> {
    return getProperties(this.run, names, props);
  }

  exists(dataset: string): Promise<boolean> {
    return datasetExists(this.run, dataset);
  }

  createDataset(name: string, props: Readonly<Record<string, string>>): Promise<void> {
    return createDataset(this.run, name, props);
  }

  setProperty(name: string, key: string, value: string): Promise<void> {
    return setProperty(this.run, name, key, value);
  }

  listFilesystems(): Promise<Filesystem[]> {
    return listFilesystems(this.run);
  }

  /** `verbose` false: without the lists of damaged files; `maxBytes`: see STATUS_MAX_BYTES. */
  async poolStatus(pools: readonly string[], options: { verbose?: boolean; maxBytes?: number } = {}): Promise<{ text: string; json: boolean }> {
    const json = await (this.statusJson ??= probeStatusJson(this.run));
    return { text: await poolStatus(this.run, pools, json, options.verbose, options.maxBytes), json };
  }

  poolCapacities(pools: readonly string[]): Promise<PoolCapacity[]> {
    return poolCapacities(this.run, pools);
  }

  scrub(pool: string): Promise<void> {
    return startScrub(this.run, pool);
  }

  /** `zfs clone -o k=v… snapshot name`. */
  clone(snapshot: string, name: string, props: Readonly<Record<string, string>>): Promise<void> {
    return clone(this.run, snapshot, name, props);
  }

  /** Destroys one file system, not recursively (a snapshot view's clone). */
  destroyFilesystem(name: string): Promise<void> {
    return destroyFilesystem(this.run, name);
  }

  /** The clones under `dataset` (itself included) that carry `zbk:view`. */
  listViewClones(dataset: string): Promise<ViewClone[]> {
    return listViewClones(this.run, dataset);
  }

  /** The holds on several snapshots, in one command; null where the dialect cannot list them. */
  async listHolds(fullSnapshots: readonly string[]): Promise<Hold[] | null> {
    return listHolds(this.run, { listHolds: await this.has('listHolds') }, fullSnapshots);
  }

  /** `zfs diff -H -F from to` (modern OpenZFS only: see capabilities()). */
  diff(from: string, to: string): Promise<ZfsDiffLine[]> {
    return zfsDiff(this.run, from, to);
  }

  /** Every snapshot of `dataset` with its guid, oldest first; null when the dataset does not exist. */
  snapshotGuids(dataset: string): Promise<GuidSnapshot[] | null> {
    return snapshotGuids(this.run, dataset);
  }

  /** `zfs hold` of each snapshot (`ds@name`); one already held with `tag` is fine. */
  hold(tag: string, fullSnapshots: readonly string[]): Promise<void> {
    return hold(this.run, tag, fullSnapshots);
  }

  /** `zfs release` of each snapshot; one without `tag` is fine. */
  release(tag: string, fullSnapshots: readonly string[]): Promise<void> {
    return release(this.run, tag, fullSnapshots);
  }

  /** `zfs bookmark ds@snap ds#name` (`name`: the part after `#`); only where capabilities().bookmarks. */
  bookmark(fullSnapshot: string, name: string): Promise<void> {
    return bookmark(this.run, fullSnapshot, name);
  }

  /** The bookmarks of `dataset`; empty where the dialect has none. */
  async bookmarks(dataset: string): Promise<Bookmark[]> {
    return listBookmarks(this.run, { bookmarks: await this.has('bookmarks') }, dataset);
  }

  destroyBookmark(dataset: string, name: string): Promise<void> {
    return destroyBookmark(this.run, dataset, name);
  }

  /** The receive_resume_token on `dataset`; null when there is none or the dialect has none. */
  async resumeToken(dataset: string): Promise<string | null> {
    if (this.features.has('resumable')) return (await this.has('resumable')) ? (await probeResumeToken(this.run, dataset)).token : null;
    // Not probed yet: the read is the probe, its answer kept for has('resumable').
    const read = probeResumeToken(this.run, dataset);
    const resumable = read.then((r) => r.resumable);
    resumable.catch(() => undefined); // the error is this call's; has() gets it again if asked
    this.features.set('resumable', resumable);
    return (await read).token;
  }

  /** `zfs receive -A`: drops an interrupted receive's partial state. */
  abortResume(dataset: string): Promise<void> {
    return abortResume(this.run, dataset);
  }

  /** The bytes the stream would have (`zfs send -nP`); null where the dialect cannot tell. */
  async estimateSend(spec: SendSpec): Promise<number | null> {
    return estimateSend(this.run, { sendEstimate: await this.has('sendEstimate') }, spec);
  }

  /** `zfs create -p -o canmount=off dataset` unless it exists. */
  createParent(dataset: string): Promise<void> {
    return createParent(this.run, dataset);
  }

  /** readonly=on canmount=noauto setuid=off exec=off where they differ, then unmounted if mounted. */
  setInert(dataset: string): Promise<void> {
    return setInert(this.run, dataset);
  }

  /** A received copy's snapshots (null: none), the copy made inert as setInert does where it has any: one command when it is. */
  copiesMadeInert(dataset: string): Promise<GuidSnapshot[] | null> {
    return copiesMadeInert(this.run, dataset);
  }
}

/**
 * The typed face of ZFS that the rest of zbk uses: one per process, the probe cached. It runs
 * everything through the Runner it is given: `createRunner(config.tools)` in zbk
 * (src/cli/context.ts), a replay of recorded answers in unit tests (test/helpers/replay.ts).
 */
import type { Runner } from './exec.js';
import { probeStatusJson, probeZfs, type Capabilities } from './probe.js';
import { listSnapshots, snapshotCreateArgs, type Snapshot } from './snapshots.js';
import { destroySnapshots, type DestroyResult } from './destroy.js';
import { createDataset, datasetExists, getProperties, listFilesystems, setProperty, type Filesystem } from './datasets.js';
import { poolCapacities, poolStatus, startScrub, type PoolCapacity } from './pool.js';
import type { PropertyRows } from './properties.js';
import { ZfsError } from './errors.js';

interface SnapshotResult {
  readonly taken: string[];
  readonly failed: { readonly names: string[]; readonly error: ZfsError }[];
}

export class Zfs {
  private caps: Promise<Capabilities> | undefined;
  private statusJson: Promise<boolean> | undefined;

  constructor(private readonly run: Runner) {}

  capabilities(): Promise<Capabilities> {
    return (this.caps ??= probeZfs(this.run));
  }

  async listSnapshots(dataset: string): Promise<Snapshot[]> {
    return listSnapshots(this.run, await this.capabilities(), dataset);
  }

  /**
   * Takes `ds@name` for every name, atomically per pool where ZFS allows. A group that fails
   * does not stop the others: each failure comes back with the names it covered.
   */
  async snapshot(fullNames: readonly string[]): Promise<SnapshotResult> {
    const result: SnapshotResult = { taken: [], failed: [] };
    for (const args of snapshotCreateArgs(fullNames, await this.capabilities())) {
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
    return destroySnapshots(this.run, await this.capabilities(), dataset, names, batchSize);
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
}

/** Filesystems: existence, properties, creation. */
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';
import { parsePropertyRows, type PropertyRows } from './properties.js';

/** Exact (`-p`) values of the given properties for the named datasets. */
export async function getProperties(run: Runner, names: readonly string[], props: readonly string[]): Promise<PropertyRows> {
  return parsePropertyRows(await run('zfs', ['get', '-H', '-p', '-o', 'name,property,value', props.join(','), ...names]));
}

export async function datasetExists(run: Runner, name: string): Promise<boolean> {
  try {
    await run('zfs', ['get', '-H', '-o', 'value', 'type', name], { busyRetryMs: 0 });
    return true;
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') return false;
    throw e;
  }
}

export function createDatasetArgs(name: string, props: Readonly<Record<string, string>>): string[] {
  return ['create', '-p', ...Object.entries(props).flatMap(([k, v]) => ['-o', `${k}=${v}`]), name];
}

export async function createDataset(run: Runner, name: string, props: Readonly<Record<string, string>>): Promise<void> {
  await run('zfs', createDatasetArgs(name, props));
}

export function setPropertyArgs(name: string, key: string, value: string): string[] {
  return ['set', `${key}=${value}`, name];
}

export async function setProperty(run: Runner, name: string, key: string, value: string): Promise<void> {
  await run('zfs', setPropertyArgs(name, key, value));
}

/** A filesystem as `zfs list` shows it: where it is mounted, if it is. */
export interface Filesystem {
  readonly name: string;
  readonly mountpoint: string;
  readonly mounted: boolean;
}

/** Every filesystem of every imported pool (`zfs list -t filesystem`, which every ZFS speaks). */
export async function listFilesystems(run: Runner): Promise<Filesystem[]> {
  return parseFilesystems(await run('zfs', ['list', '-H', '-t', 'filesystem', '-o', 'name,mounted,mountpoint']));
}

/** Rows of `name<TAB>mounted<TAB>mountpoint`; the mountpoint last, so that a tab in it cannot shift a column. */
export function parseFilesystems(text: string): Filesystem[] {
  const out: Filesystem[] = [];
  for (const line of text.split('\n')) {
    const [name, mounted, ...rest] = line.split('\t');
    if (!name || mounted === undefined || rest.length === 0) continue;
    out.push({ name, mounted: mounted === 'yes', mountpoint: rest.join('\t') });
  }
  return out;
}

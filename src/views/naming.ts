/**
 * How zbk names what it makes to read snapshots, so that it and the admin can recognise it:
 *
 *   clone (no .zfs/snapshot)  <dataset>/zbk-view-<pid>-<snapshot>, with the user property
 *                             zbk:view=<pid>, readonly=on, mounted at <state_dir>/views/<pid>/<snapshot>
 *   hold (.zfs/snapshot)      tag zbk-view:<pid> on <dataset>@<snapshot>
 *
 * The pid is the zbk that made it: while it runs the view is in use; once it is gone (kill -9)
 * the view is a leftover, which the next zbk that makes views removes and `zbk list` reports.
 */
import { join } from 'node:path';
import { datasetNameProblem } from '../zfs/names.js';

export const HOLD_PREFIX = 'zbk-view:';

export function cloneName(dataset: string, pid: number, snapshot: string): string {
  const name = `${dataset}/zbk-view-${pid}-${snapshot}`;
  const problem = datasetNameProblem(name);
  if (problem !== null) throw new Error(`cannot make a view of ${dataset}@${snapshot}: ${problem}`);
  return name;
}

export function viewMountpoint(stateDir: string, pid: number, snapshot: string): string {
  return join(stateDir, 'views', String(pid), snapshot);
}

export const holdTag = (pid: number): string => `${HOLD_PREFIX}${pid}`;

/** The pid in a `zbk:view` value or a hold tag, or null where it is not one of zbk's. */
export function ownerPid(text: string): number | null {
  const m = /^(?:zbk-view:)?([1-9]\d{0,9})$/.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * The pid of the zbk that made the view clone `name` under `dataset`, or null when it is not one
 * of zbk's: both the name (`<dataset>/zbk-view-<pid>-…`, a direct child) and the mark must say
 * so, so that a dataset that merely carries (or inherits) `zbk:view` is never taken for a view.
 */
export function cloneOwner(dataset: string, name: string, mark: string): number | null {
  const pid = ownerPid(mark);
  if (pid === null) return null;
  const prefix = `${dataset}/zbk-view-${pid}-`;
  return name.startsWith(prefix) && name.length > prefix.length && !name.slice(prefix.length).includes('/') ? pid : null;
}

/**
 * What a killed zbk left running: its rsync and hooks are in their own process groups, so
 * they outlive it (a `kill -9` reaches nobody else), and rsync --inplace keeps writing into
 * the dataset. Before a later run takes over the dead run's lock, they must be gone.
 *
 * They are found by the marker the dead run put in their environment (`ZBK_RUN_ID`, random
 * per lock, inherited by everything they start), not by the group numbers its lock records:
 * a number can have been reused by an unrelated group since, a marker cannot. Where ps shows
 * no environments (or cannot run), a recorded group that still has members cannot be told
 * from a stranger: the takeover is refused.
 */
import { sendSignal, signalGroup } from './group.js';
import { hasVariable, processTable, type Proc } from './ps.js';

export const MARKER = 'ZBK_RUN_ID';

interface Cleanup {
  /** What was stopped, e.g. `rsync (pid 812, group 811)`. */
  readonly stopped: readonly string[];
  /** Why the takeover must not go ahead, or null. */
  readonly refusal: string | null;
}

interface CleanupOptions {
  /** How long the leftovers have to stop after SIGTERM, and again after SIGKILL. */
  readonly graceMs: number;
}

const POLL_MS = 100;

const describe = (p: Proc): string => `${p.text.split(' ')[0]!.split('/').pop()} (pid ${p.pid}, group ${p.pgid})`;

export async function stopLeftovers(marker: string, groups: readonly number[], o: CleanupOptions): Promise<Cleanup> {
  // Never group 0 or 1 (the caller's, every process), nor zbk's own: a zbk started by the
  // dead run's hook carries its marker, and must not stop itself.
  let own = 0;
  const signalable = (pgid: number): boolean => Number.isInteger(pgid) && pgid > 1 && pgid !== own;
  const running = async (): Promise<Proc[] | string> => {
    const table = await processTable();
    own = table?.procs.find((p) => p.pid === process.pid)?.pgid ?? own;
    if (table === null || !table.environments) {
      // Only the recorded groups can be checked, and not told from a stranger that got their number.
      const members = (g: number) => (table ? table.procs.some((p) => p.pgid === g && !p.zombie) : signalGroup(g, 0));
      const unknown = groups.filter((g) => signalable(g) && members(g));
      return unknown.length === 0
        ? []
        : `process group ${unknown.join(', ')} of the dead run still runs, and ${table ? 'ps shows no environments' : 'ps could not run'} to tell whether it is that run's`;
    }
    return table.procs.filter((p) => !p.zombie && p.pid !== process.pid && hasVariable(p.text, MARKER, marker));
  };
  let left = await running();
  if (typeof left === 'string') return { stopped: [], refusal: left };
  const stopped = left.map(describe);
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (left.length === 0) break;
    for (const p of left) {
      if (signalable(p.pgid)) signalGroup(p.pgid, signal);
      sendSignal(p.pid, signal); // also one that left its group (false: gone already)
    }
    for (const deadline = Date.now() + o.graceMs; ; ) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      left = await running();
      if (typeof left === 'string') return { stopped, refusal: left };
      if (left.length === 0 || Date.now() > deadline) break;
    }
  }
  return left.length === 0
    ? { stopped, refusal: null }
    : { stopped, refusal: `what the dead run left running survives SIGKILL: ${left.map(describe).join(', ')}` };
}

/**
 * An interrupted `zfs receive -s` leaves a `receive_resume_token` on the destination; the
 * sender continues from it with `zfs send -t TOKEN`, or `zfs receive -A` throws the partial
 * state away. Pool v23 has neither: an interrupted receive leaves the last complete snapshot.
 */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import { isResumeToken } from './send.js';

/**
 * The token on `dataset`, and whether the dialect has tokens at all, from one `zfs get`: where
 * it is not known yet, reading the token is also its probe (probe.ts: a dialect without tokens
 * refuses the property before it looks for the dataset).
 */
export async function probeResumeToken(run: Runner, dataset: string): Promise<{ resumable: boolean; token: string | null }> {
  let value: string;
  try {
    value = (await run('zfs', ['get', '-H', '-o', 'value', 'receive_resume_token', dataset])).trim();
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'unsupported') return { resumable: false, token: null };
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') return { resumable: true, token: null };
    throw e;
  }
  if (value === '-' || value === '') return { resumable: true, token: null };
  if (!isResumeToken(value)) throw new ZfsError('failed', `${dataset}: a receive_resume_token zbk cannot read`);
  return { resumable: true, token: value };
}

/** `zfs receive -A`: throws away the partial state of an interrupted receive. */
export function receiveAbortArgs(dataset: string): string[] {
  return ['receive', '-A', dataset];
}

export async function abortResume(run: Runner, dataset: string): Promise<void> {
  await run('zfs', receiveAbortArgs(dataset));
}

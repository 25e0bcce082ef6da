/**
 * The argv of `zfs send` (run by the replication service, in a pipe to `zfs receive`) and the
 * size estimate of a stream (`zfs send -nvP`, for the progress line's ETA). No option that
 * carries properties (-p, -R): a received copy gets none of the source's, above all not its
 * mountpoint.
 */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import type { Capabilities } from './probe.js';
import { isBookmarkName } from './bookmarks.js';

export interface SendSpec {
  readonly dataset: string;
  /** The incremental source (a snapshot name after `@`); null: a full stream of `to` (or one from `fromBookmark`). */
  readonly from: string | null;
  /** A bookmark (the name after `#`) to send `to` alone from, with -i: the base the source kept only as a bookmark. */
  readonly fromBookmark?: string;
  /** The snapshot name after `@` the stream ends with. */
  readonly to: string;
  /** A receive_resume_token of the target: the stream continues an interrupted one (from and to unused). */
  readonly resumeToken?: string | null;
}

/** A resume token as zfs prints it: version, checksum, length, then the packed state, all in hex. */
const TOKEN = /^[0-9a-f]+(?:-[0-9a-f]+){3}$/i;
const SNAPSHOT_NAME = /^[A-Za-z0-9_.:-]+$/;

export function isResumeToken(token: string): boolean {
  return TOKEN.test(token) && token.length <= 65536;
}

/**
 * `send ds@to` (full), `send -I ds@from ds@to` (every snapshot from..to), `send -i ds#mark ds@to`
 * (from a bookmark: -I takes none), `send -t TOKEN` (resume).
 */
export function sendArgs(spec: SendSpec): string[] {
  if (spec.resumeToken) {
    if (!isResumeToken(spec.resumeToken)) throw new ZfsError('failed', 'the target gave a receive_resume_token zbk cannot read');
    return ['send', '-t', spec.resumeToken];
  }
  for (const name of [spec.from, spec.to]) {
    if (name !== null && !SNAPSHOT_NAME.test(name)) throw new ZfsError('failed', `${JSON.stringify(name)} is not a snapshot name zbk sends`);
  }
  const to = `${spec.dataset}@${spec.to}`;
  if (spec.fromBookmark !== undefined) {
    if (!isBookmarkName(spec.fromBookmark)) throw new ZfsError('failed', `${JSON.stringify(spec.fromBookmark)} is not a bookmark name zbk sends from`);
    return ['send', '-i', `${spec.dataset}#${spec.fromBookmark}`, to];
  }
  return spec.from === null ? ['send', to] : ['send', '-I', `${spec.dataset}@${spec.from}`, to];
}

/** The same stream, counted not sent (-v too: zfs before 2.0 prints the -P lines only with it, and on stdout only then). */
export function estimateSendArgs(spec: SendSpec): string[] {
  const [, ...rest] = sendArgs(spec);
  return ['send', '-n', '-v', '-P', ...rest];
}

/**
 * The bytes of `zfs send -nvP` output: its `size<TAB>N` line (each snapshot of an -I stream
 * also has a line of its own; `size` is their total). Null when there is no such line.
 */
export function parseSendEstimate(text: string): number | null {
  for (const line of text.split('\n')) {
    const m = /^size\t(\d{1,16})$/.exec(line.trimEnd());
    if (m) return Number(m[1]);
  }
  return null;
}

/** The stream's size in bytes; null where the dialect cannot tell. */
export async function estimateSend(run: Runner, caps: Pick<Capabilities, 'sendEstimate'>, spec: SendSpec): Promise<number | null> {
  if (!caps.sendEstimate) return null;
  return parseSendEstimate(await run('zfs', estimateSendArgs(spec)));
}

/**
 * `zfs send … | [ssh host] zfs receive …` as two process groups (src/process/group.ts), the
 * stream passing through zbk so that its bytes are counted (the summary, the progress line).
 *
 * Whichever side fails, the other is stopped (TERM, then KILL): a receive that ended before
 * the stream did stops the send, and a send that failed stops the receive before it could
 * take a cut stream for a whole one (ZFS would refuse it anyway: a receive is atomic). A time
 * limit or an abort stops both. The error names the side that failed first, with its stderr.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { runInGroup, type GroupResult, type GroupTracker } from '../process/group.js';

export interface PipeCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export type PipeSide = 'send' | 'receive';

export interface PipeOptions {
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly signal?: AbortSignal;
  /** The target's lock: it records both groups while they run. */
  readonly tracker?: GroupTracker;
  /** The bytes through the pipe so far, as they pass. */
  readonly onBytes?: (total: number) => void;
}

export class PipeError extends Error {
  override readonly name = 'PipeError';
  constructor(
    readonly side: PipeSide,
    /** What ended the side: `exit 1`, `killed by SIGKILL`, `timed out`, … */
    readonly why: string,
    readonly stderr: string,
    readonly result: GroupResult,
    /** Bytes that went through before it failed. */
    readonly bytes: number,
  ) {
    const said = lastLines(stderr);
    super(`zfs ${side} ${why}${said ? `: ${said}` : ''}`);
  }
}

const KEPT_CHARS = 4096;

/** The stream's bytes, counted on their way from the send to the receive. */
class Counter extends Transform {
  bytes = 0;
  constructor(private readonly onBytes: ((total: number) => void) | undefined) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }
}

/** Runs the pipeline to its end: the bytes that went through, or a PipeError naming the side that failed. */
export async function runPipe(send: PipeCommand, receive: PipeCommand, o: PipeOptions): Promise<{ bytes: number }> {
  const counter = new Counter(o.onBytes);
  counter.on('error', () => undefined); // destroyed when a side fails: that side is the one reported
  const stopSend = follow(o.signal);
  const stopReceive = follow(o.signal);
  const stderr = { send: '', receive: '' };
  const keep = (side: PipeSide) => (chunk: string) => {
    stderr[side] = (stderr[side] + chunk).slice(-2 * KEPT_CHARS);
  };
  const common = { timeoutMs: o.timeoutMs, killGraceMs: o.killGraceMs, ...(o.tracker ? { tracker: o.tracker } : {}) };
  let sendEnded = false;
  let receiveFirst = false;
  const sent = runInGroup(send.file, send.args, { ...common, signal: stopSend.signal, stdoutTo: counter, onStderr: keep('send') }).then((r) => {
    sendEnded = true;
    if (!succeeded(r)) stopReceive.abort();
    return r;
  });
  const received = runInGroup(receive.file, receive.args, {
    ...common, signal: stopReceive.signal, stdinFrom: counter, onStdout: keep('receive'), onStderr: keep('receive'),
  }).then((r) => {
    if (!sendEnded) {
      // The receive ended before the stream did: nothing reads the rest.
      receiveFirst = true;
      stopSend.abort();
      counter.destroy();
    }
    return r;
  });
  const [s, r] = await Promise.all([sent, received]);
  const fail = (side: PipeSide, result: GroupResult, why: string) =>
    new PipeError(side, why, stderr[side].slice(-KEPT_CHARS).trim(), result, counter.bytes);
  if (receiveFirst) throw fail('receive', r, succeeded(r) ? 'ended before the stream did' : ended(r, o));
  if (!succeeded(s)) throw fail('send', s, ended(s, o));
  if (!succeeded(r)) throw fail('receive', r, ended(r, o));
  return { bytes: counter.bytes };
}

/** An AbortController that also aborts when `outer` does. */
function follow(outer: AbortSignal | undefined): AbortController {
  const c = new AbortController();
  if (outer?.aborted) c.abort();
  else outer?.addEventListener('abort', () => c.abort(), { once: true });
  return c;
}

const succeeded = (r: GroupResult): boolean => r.code === 0 && r.stopped === null;

function ended(r: GroupResult, o: PipeOptions): string {
  if (r.spawnError !== null) return `could not start: ${r.spawnError}`;
  if (r.stopped === 'timeout') return `timed out after ${Math.round(o.timeoutMs / 1000)} s`;
  if (r.stopped === 'abort') return o.signal?.aborted ? 'stopped: zbk was interrupted' : 'stopped: the other side failed';
  return r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
}

/** The last few lines of a side's complaint, on one line. */
function lastLines(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(-3).join('; ');
}

/**
 * `zfs send … | [ssh host] zfs receive …` as process groups (src/process/group.ts), in one of
 * two ways:
 *
 * - **Through zbk**, when a progress line wants the bytes as they pass: zbk reads the send's
 *   output and writes it to the receive, counting.
 * - **Handed over**, otherwise (cron, the daemon): `zfs send | dd | zfs receive` joined by the
 *   kernel's pipes, no byte through zbk, and the count from dd's closing line on stderr
 *   (exact, `N bytes …` in both FreeBSD's and GNU's dd). Copying the stream through node
 *   cost ~40% of a bare pipe's time on a large stream (bench/README.md, replicate).
 *
 * Whichever stage fails, the others are stopped (TERM, then KILL): a receive that ended before
 * the stream did stops the send, and a send that failed stops the receive before it could take
 * a cut stream for a whole one (ZFS would refuse it anyway: a receive is atomic). A time limit
 * or an abort stops all. The error names the stage that failed, with its stderr; a stage that
 * only died of the broken pipe another's end left it (SIGPIPE, or EPIPE said) is not it.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { runInGroup, type GroupResult, type GroupTracker } from '../process/group.js';

export interface PipeCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** The stages, upstream first: `count` is dd, when the stream is handed over. */
export type PipeSide = 'send' | 'count' | 'receive';

export interface PipeOptions {
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly signal?: AbortSignal;
  /** The target's lock: it records every group while it runs. */
  readonly tracker?: GroupTracker;
  /** The bytes through the pipe so far, as they pass: the stream goes through zbk. */
  readonly onBytes?: (total: number) => void;
  /**
   * Without onBytes: a dd that copies stdin to stdout and ends with `N bytes …` on stderr, to
   * hand the stream over (`{ file: 'dd', args: DD_ARGS }`). Without either, it goes through zbk.
   */
  readonly countWith?: PipeCommand;
}

/** dd's arguments for the handed-over stream: blocks of 1 MiB (a number: GNU's dd takes no `1m`). */
export const DD_ARGS: readonly string[] = ['bs=1048576'];

export class PipeError extends Error {
  override readonly name = 'PipeError';
  constructor(
    readonly side: PipeSide,
    /** What ended the side: `exit 1`, `killed by SIGKILL`, `timed out`, … */
    readonly why: string,
    readonly stderr: string,
    readonly result: GroupResult,
    /** Bytes that went through before it failed, as far as they are known. */
    readonly bytes: number,
  ) {
    const said = lastLines(stderr);
    super(`${side === 'count' ? 'dd (counting the stream)' : `zfs ${side}`} ${why}${said ? `: ${said}` : ''}`);
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

/** Runs the pipeline to its end: the bytes that went through, or a PipeError naming the stage that failed. */
export function runPipe(send: PipeCommand, receive: PipeCommand, o: PipeOptions): Promise<{ bytes: number }> {
  return o.onBytes === undefined && o.countWith !== undefined ? handedOver(send, o.countWith, receive, o) : throughZbk(send, receive, o);
}

/** The stream through zbk, counted as it passes. */
async function throughZbk(send: PipeCommand, receive: PipeCommand, o: PipeOptions): Promise<{ bytes: number }> {
  const counter = new Counter(o.onBytes);
  counter.on('error', () => undefined); // destroyed when a side fails: that side is the one reported
  const stopSend = follow(o.signal);
  const stopReceive = follow(o.signal);
  const stderr = { send: '', receive: '' };
  const keep = (side: 'send' | 'receive') => (chunk: string) => {
    stderr[side] = (stderr[side] + chunk).slice(-2 * KEPT_CHARS);
  };
  const common = commonOptions(o);
  // The stream's end, as the receive is given it: not the send's exit, which node may learn of
  // after the receive's (and each group's promise settles after its lock is written).
  let streamEnded = false;
  counter.once('end', () => {
    streamEnded = true;
  });
  let receiveFirst = false;
  const sent = runInGroup(send.file, send.args, { ...common, signal: stopSend.signal, stdoutTo: counter, onStderr: keep('send') }).then((r) => {
    if (!succeeded(r)) stopReceive.abort();
    return r;
  });
  const received = runInGroup(receive.file, receive.args, {
    ...common, signal: stopReceive.signal, stdinFrom: counter, onStdout: keep('receive'), onStderr: keep('receive'),
  }).then((r) => {
    if (!streamEnded) {
      // Nothing reads the rest of the stream now. Destroying the counter also lets go of the
      // send's output: a send stopped while the counter was full would wait on it for ever.
      if (!stopReceive.signal.aborted) receiveFirst = true; // it ended on its own, before the stream did
      stopSend.abort();
      counter.destroy();
    }
    return r;
  });
  const [s, r] = await Promise.all([sent, received]);
  const fail = (side: 'send' | 'receive', result: GroupResult, why: string) =>
    new PipeError(side, why, stderr[side].slice(-KEPT_CHARS).trim(), result, counter.bytes);
  if (receiveFirst) throw fail('receive', r, succeeded(r) ? 'ended before the stream did' : ended(r, o));
  if (!succeeded(s)) throw fail('send', s, ended(s, o));
  if (!succeeded(r)) throw fail('receive', r, ended(r, o));
  return { bytes: counter.bytes };
}


interface Stage {
  readonly side: PipeSide;
  readonly command: PipeCommand;
  readonly stop: AbortController;
  stderr: string;
  result?: GroupResult;
}

/**
 * `send | dd | receive`, joined by the kernel's pipes. When a stage fails, the others are
 * stopped. A receive that succeeds has read to the end of what dd passed on, so success is
 * never early here; a receive that ended before the stream did shows as the stages upstream
 * dying of the broken pipe it left.
 */
async function handedOver(send: PipeCommand, count: PipeCommand, receive: PipeCommand, o: PipeOptions): Promise<{ bytes: number }> {
  const stages: Stage[] = (
    [['send', send], ['count', count], ['receive', receive]] as const
  ).map(([side, command]) => ({ side, command, stop: follow(o.signal), stderr: '' }));
  const common = commonOptions(o);
  let upstream: Readable | undefined;
  // Started in order, each in one go (runInGroup spawns before it first waits): each stage's stdout is there for the next.
  const runs = stages.map((stage, i) => {
    const keep = (chunk: string) => {
      stage.stderr = (stage.stderr + chunk).slice(-2 * KEPT_CHARS);
    };
    const last = i === stages.length - 1;
    return runInGroup(stage.command.file, stage.command.args, {
      ...common,
      ...(upstream ? { stdinHandedFrom: upstream } : {}),
      ...(last ? { onStdout: keep } : { handOut: (out: Readable) => (upstream = out) }),
      signal: stage.stop.signal,
      onStderr: keep,
    }).then((r) => {
      stage.result = r;
      if (!succeeded(r)) for (const other of stages) if (other !== stage) other.stop.abort();
      return r;
    });
  });
  await Promise.all(runs);
  const [, counter, receiver] = stages as [Stage, Stage, Stage];
  const bytes = countOf(counter.stderr);
  const fail = (stage: Stage, why: string) => new PipeError(stage.side, why, stage.stderr.slice(-KEPT_CHARS).trim(), stage.result!, bytes ?? 0);
  const failed = stages.filter((s) => !succeeded(s.result!));
  // Upstream first, the stage that failed on its own: not one that died of the broken pipe a
  // stage downstream left it, nor one zbk stopped because another had failed.
  const own = failed.find((s) => !piped(s) && !stoppedByUs(s));
  if (own) throw fail(own, ended(own.result!, o));
  if (failed.length > 0 && succeeded(receiver.result!)) throw fail(receiver, 'ended before the stream did');
  const first = failed[0];
  if (first) throw fail(first, ended(first.result!, o));
  if (bytes === null) throw fail(counter, 'ended without saying how many bytes it copied');
  return { bytes };
}

/** dd's closing count, `N bytes …` (FreeBSD: `transferred in`; GNU: `(… MB) copied`), or null. */
export function countOf(stderr: string): number | null {
  const lines = [...stderr.matchAll(/^(\d+) bytes?\b/gm)];
  const last = lines.at(-1)?.[1];
  return last === undefined ? null : Number(last);
}

/**
 * Whether a stage upstream of the receive died of a broken pipe, its reader gone: SIGPIPE, or
 * EPIPE or ECONNRESET said in the C locale (node joins processes with socket pairs, whose writer
 * may get either). Never the receive, whose reader is zbk: an ssh whose connection broke says
 * "Broken pipe" too, and is the receive failing.
 */
function piped(stage: Stage): boolean {
  const r = stage.result;
  return stage.side !== 'receive' && r !== undefined && !succeeded(r) &&
    (r.signal === 'SIGPIPE' || /\b(?:Broken pipe|Connection reset by peer)\b/.test(stage.stderr));
}

/** Stopped by zbk because another stage failed, not by a time limit or zbk's own interruption. */
const stoppedByUs = (stage: Stage): boolean => stage.result?.stopped === 'abort' && stage.stop.signal.aborted;

/** What every stage's group gets. The C locale: the stderr read here (receive's refusals, a broken pipe) is matched in English. */
const commonOptions = (o: PipeOptions) => ({
  timeoutMs: o.timeoutMs, killGraceMs: o.killGraceMs, env: { LC_ALL: 'C' }, ...(o.tracker ? { tracker: o.tracker } : {}),
});

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

/**
 * Seeing a replication work (pure: the clock and the terminal are given).
 *
 * On a terminal, one line redrawn in place at most a few times a second — bytes so far, the
 * rate, and where `zfs send -nP` gave an estimate, the share done and the time left:
 *   web → offsite: 1.2G of ~3.4G (35%), 12.3M/s, 0:03:02 left
 * and, for logs and the daily mail, one summary line per job and target:
 *   web → offsite: incremental, 3 snapshots, 1.2M in 2s
 *
 * The replicate service makes one progress per stream, calls `update` with the running total of
 * bytes through the send | receive pipe (the pipe's `onBytes`), and `done` when the stream has
 * ended (whether it succeeded or not): `done` clears the line, so that what is printed next
 * starts on a clean line.
 */
import type { ReplicationMode } from '../state/replicas.js';
import type { Outcome } from '../sync/exit-policy.js';
import { counted } from '../util/plural.js';
import { formatBytes } from '../util/size.js';
import { formatClock } from '../sync/progress.js';

/** Where the line is drawn: a terminal (process.stderr); anything that is not a TTY gets no line. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** `web → offsite` (see `replicationLabel`). */
  readonly label: string;
  /** The stream's size from `zfs send -nP`, or null where the dialect cannot estimate (or `update` brings it). */
  readonly estimate?: number | null;
  /** null: count only, draw nothing (not a terminal, `--format json`). */
  readonly output: ProgressOutput | null;
  /** Milliseconds, monotonic; default `performance.now`. */
  readonly clock?: () => number;
  /** Least time between two redraws; default 250 ms (four a second). */
  readonly intervalMs?: number;
}

export interface Totals {
  readonly bytes: number;
  readonly ms: number;
}

export interface ReplicationProgress {
  /**
   * `total` bytes have gone through the pipe so far (a running total, as the pipe's onBytes and
   * the service's onProgress give it); `estimate`, when given, replaces the one of the options.
   */
  update(total: number, estimate?: number | null): void;
  /** The stream ended: clears the line; returns what went through and how long it took. */
  done(): Totals;
}

const CLEAR = '\r\x1b[K';
const DEFAULT_INTERVAL_MS = 250;

export const replicationLabel = (job: string, target: string): string => `${job} → ${target}`;

/** The line drawn on a terminal (without the carriage return that redraws it). */
export function formatProgressLine(label: string, bytes: number, ms: number, estimate: number | null): string {
  const rate = ms > 0 ? (bytes * 1000) / ms : 0;
  const parts = [`${label}: ${formatBytes(bytes)}`];
  if (estimate !== null && estimate > 0) {
    // An estimate is one; a stream larger than it says 99% until it ends, never 100% while it runs.
    const percent = Math.min(99, Math.floor((bytes * 100) / estimate));
    parts[0] += ` of ~${formatBytes(estimate)} (${percent}%)`;
  }
  parts.push(`${formatBytes(Math.round(rate))}/s`);
  if (estimate !== null && estimate > bytes && rate > 0) parts.push(`${formatClock((estimate - bytes) / rate)} left`);
  return parts.join(', ');
}

export function createProgress(options: ProgressOptions): ReplicationProgress {
  const clock = options.clock ?? (() => performance.now());
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const out = options.output?.isTTY === true ? options.output : null;
  const start = clock();
  let bytes = 0;
  let drawnAt: number | null = null;
  let finished: Totals | null = null;
  let estimate = options.estimate ?? null;
  return {
    update(total, newEstimate) {
      if (newEstimate !== undefined) estimate = newEstimate;
      // A total never shrinks: a smaller or unreadable count is not news.
      if (finished || !Number.isFinite(total) || total <= bytes) return;
      bytes = total;
      if (!out) return;
      const now = clock();
      if (drawnAt !== null && now - drawnAt < interval) return;
      drawnAt = now;
      out.write(`${CLEAR}${formatProgressLine(options.label, bytes, now - start, estimate)}`);
    },
    done() {
      if (finished) return finished;
      finished = { bytes, ms: Math.max(0, clock() - start) };
      if (out && drawnAt !== null) out.write(CLEAR);
      return finished;
    },
  };
}

/** What the summary reads of a replication (src/replicate/replicate.ts's ReplicationReport has it all). */
export interface SummaryInput {
  readonly job: string;
  readonly target: string;
  readonly outcome: Outcome;
  /** null: the target was away or nothing could be planned. */
  readonly mode: ReplicationMode | 'refused' | null;
  /** Snapshots received this time, oldest first. */
  readonly send: readonly string[];
  /** Bytes through the pipe; null when nothing was sent. */
  readonly bytes: number | null;
  readonly durationMs: number;
  /** The target's copies pruned. */
  readonly prune: readonly string[];
  /** Why it failed or warned, and what else went wrong. */
  readonly messages: readonly string[];
}

/**
 * One line per job and target, for logs and the daily mail:
 *   web → offsite: incremental, 3 snapshots, 1.2M in 2s, 2 pruned
 *   web → offsite: up-to-date
 *   web → usb: WARNING: target usb: pool usb is not imported
 *   web → offsite: FAILED: zfs receive failed: ...
 * and a warning or failure after a transfer follows it: `…, 1.2M in 2s; FAILED: …`.
 */
export function formatSummaryLine(r: SummaryInput): string {
  const label = replicationLabel(r.job, r.target);
  const level = r.outcome === 'failed' ? 'FAILED' : 'WARNING';
  const said = r.messages.length ? `${level}: ${r.messages.join('; ')}` : level;
  if (r.mode === null || r.mode === 'refused') return `${label}: ${r.mode === 'refused' ? 'refused, ' : ''}${said}`;
  const pruned = r.prune.length ? `, ${r.prune.length} pruned` : '';
  const moved = r.mode === 'up-to-date' && r.send.length === 0
    ? 'up-to-date'
    : `${r.mode}, ${counted(r.send.length, 'snapshot')}, ${formatBytes(r.bytes ?? 0)} in ${formatElapsed(r.durationMs)}`;
  const trouble = r.outcome === 'ok' && r.messages.length === 0 ? '' : `; ${said}`;
  return `${label}: ${moved}${pruned}${trouble}`;
}

/** `0.4s`, `2s`, `1m05s`, `2h03m`: short enough for a summary line. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor(whole / 60) % 60).padStart(2, '0')}m`;
}

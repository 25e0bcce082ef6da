/**
 * The verdict on one pool, with a sentence for each finding naming the pool, the device and what
 * to do.
 *
 *   critical  pool state not ONLINE (SUSPENDED: I/O stopped), a device FAULTED, UNAVAIL or REMOVED,
 *             data errors (a count above 0, listed files, or the list header alone), capacity at
 *             or above `capacityCrit`
 *   unknown   lines not understood where trouble could hide (a config-table row, an `errors:`
 *             section: see PoolStatus.unknown_lines), no state line or one zbk does not know, no
 *             config table, nothing said about data errors (a non-root run, a cut paste): any of
 *             these may hide the above. Other lines not understood are a note, not a verdict.
 *   warning   a leaf whose counters rose in two remembered reports in a row (replace it soon),
 *             a non-zero READ/WRITE/CKSUM counter on any row, a scrub that repaired data or ended
 *             with errors, a resilver running, a device OFFLINE or DEGRADED, capacity at or above
 *             `capacityWarn`, the last finished scrub older than `maxAgeMs` (or none at all)
 *
 * The scrub-age rule is off when `maxAgeMs` is null, and reported as a note that raises nothing
 * when `overdueScrub` is 'note': an output read from a file says nothing about how old its
 * scrub is today.
 */
import { severity, worstAlert, type Alert } from './alert.js';
import type { Device, PoolStatus, Scan } from './model.js';
import { formatNiceNumber } from './nicenum.js';
import type { PoolMemory } from './remembered.js';
import { growthPhrase, riseOf, rose } from './rise.js';
import { activeScans, canScrub, lastScrubEnd, scansOf } from './scans.js';

export interface Thresholds {
  /** Longest time since the last finished scrub; null turns the rule off. */
  readonly maxAgeMs: number | null;
  /** Percent full. */
  readonly capacityWarn: number;
  readonly capacityCrit: number;
  /** How an overdue scrub is reported; 'warning' by default. */
  readonly overdueScrub?: 'warning' | 'note';
}

export interface Assessment {
  readonly alert: Alert;
  /** Why the alert is what it is, most severe first; empty when ok. */
  readonly reasons: readonly string[];
  /** The level of each reason, in the same order (to sort the findings of several pools). */
  readonly levels: readonly Exclude<Alert, 'ok'>[];
  /** Facts worth telling that raise nothing: a scrub running, an overdue scrub in 'note' mode. */
  readonly notes: readonly string[];
}

interface Finding {
  readonly level: Exclude<Alert, 'ok'> | 'note';
  readonly text: string;
}

interface Context {
  readonly previous: PoolMemory | null;
  /** Percent of the pool in use (`zpool list`, else what the status output said); null when unknown. */
  readonly capacity: number | null;
  readonly thresholds: Thresholds;
  readonly now: Date;
}

type Rule = (s: PoolStatus, ctx: Context) => Finding[];

const DAY_MS = 86_400_000;
const MISSING = new Set(['FAULTED', 'UNAVAIL', 'REMOVED']);
/** Every state zpool prints for a pool (zpool_get_state_str); another word is not understood. */
const POOL_STATES = new Set(['ONLINE', 'DEGRADED', 'FAULTED', 'OFFLINE', 'UNAVAIL', 'REMOVED', 'SUSPENDED']);
const SUSPENDED_IDS = new Set(['ZFS-8000-HC', 'ZFS-8000-JQ']);

const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cmd = (text: string) => `\`${text}\``;
const clear = (pool: string) => `then run ${cmd(`zpool clear ${pool}`)}`;
const statusV = (pool: string) => cmd(`zpool status -v ${pool}`);
/** A device's note after its name: `(too many errors)`; notes zpool already parenthesised stay as they are. */
const aside = (note: string | null) => (note === null ? '' : note.startsWith('(') ? ` ${note}` : ` (${note})`);

/** Every finding reads `pool: what — what to do`. */
function say(level: Finding['level'], pool: string, what: string, todo?: string): Finding {
  return { level, text: `${pool}: ${what}${todo ? ` — ${todo}` : ''}` };
}

const poolState: Rule = (s) => {
  const p = s.name;
  if (s.state === 'ONLINE') return [];
  if (s.state === 'UNKNOWN') return [say('unknown', p, 'the output has no state line', `run ${statusV(p)}`)];
  if (!POOL_STATES.has(s.state)) return [say('unknown', p, `the pool's state "${s.state}" is not one zbk knows`, `read ${statusV(p)} yourself`)];
  if (s.state === 'SUSPENDED' || SUSPENDED_IDS.has(s.status_id ?? '')) {
    return [say('critical', p, 'pool I/O is suspended', `reconnect its devices, ${clear(p)}`)];
  }
  const id = s.status_id ? ` (${s.status_id})` : '';
  return [say('critical', p, `pool is ${s.state}${id}`, s.action?.replace(/\.$/, '') ?? `run ${statusV(p)} and follow its action line`)];
};

function missingAdvice(p: string, d: Device): string {
  const replace = `replace it: ${cmd(`zpool replace ${p} ${d.name} NEW-DEVICE`)}`;
  const online = cmd(`zpool online ${p} ${d.name}`);
  if (d.group === 'spares') return `replace the spare: ${cmd(`zpool remove ${p} ${d.name}`)}, then ${cmd(`zpool add ${p} spare NEW-DEVICE`)}`;
  if (d.role === 'vdev') return 'too few of the devices under it work';
  if (d.state === 'FAULTED') return replace;
  if (d.state === 'REMOVED') return `reinsert it and run ${online}`;
  return `reconnect it and run ${online}, or ${replace}`;
}

const deviceStates: Rule = (s) =>
  s.devices.flatMap((d): Finding[] => {
    const what = `${d.name} is ${d.state}${aside(d.note)}`;
    if (d.role === 'pool') return [];
    if (MISSING.has(d.state)) return [say('critical', s.name, what, missingAdvice(s.name, d))];
    if (d.role !== 'leaf') return [];
    if (d.state === 'OFFLINE') return [say('warning', s.name, what, `bring it back with ${cmd(`zpool online ${s.name} ${d.name}`)}, or replace it`)];
    if (d.state === 'DEGRADED') return [say('warning', s.name, what, `replace it: ${cmd(`zpool replace ${s.name} ${d.name} NEW-DEVICE`)}`)];
    return [];
  });

const dataErrors: Rule = (s) => {
  const p = s.name;
  const files = s.error_files;
  if (files.length > 0) {
    // error_files keeps the first of a long list; data_errors counts all of it.
    const total = Math.max(files.length, s.data_errors ?? 0);
    const shown = files.slice(0, 3).join(', ') + (total > 3 ? ` and ${total - 3} more` : '');
    const todo = `restore them from backup (or destroy the snapshots named), ${clear(p)} and scrub again`;
    return [say('critical', p, `permanent errors in ${plural(total, 'file')}: ${shown}`, todo)];
  }
  if (s.permanent_errors) return [say('critical', p, 'ZFS reports permanent errors but lists no file', `run ${statusV(p)} as root`)];
  if (s.data_errors === null) return [say('unknown', p, 'the output does not say whether there are data errors', `run ${statusV(p)} as root`)];
  if (s.data_errors === 0) return [];
  const todo = `list the damaged files with ${statusV(p)}, restore them from backup, ${clear(p)}`;
  return [say('critical', p, plural(s.data_errors, 'data error'), todo)];
};

const errorCount = (d: Device) => d.read + d.write + d.cksum;

/** `23 read and 2 checksum errors`, counts as zpool abbreviates them. */
function counterPhrase(d: Device): string {
  const kinds = [
    [d.read, 'read'],
    [d.write, 'write'],
    [d.cksum, 'checksum'],
  ] as const;
  const parts = kinds.flatMap(([n, what]) => (n > 0 ? [`${formatNiceNumber(n)} ${what}`] : []));
  const last = parts.pop() ?? '';
  return `${parts.length > 0 ? `${parts.join(', ')} and ` : ''}${last} error${errorCount(d) === 1 ? '' : 's'}`;
}

function checkAdvice(p: string, d: Device): string {
  if (d.role !== 'leaf') return `check the devices under it, ${clear(p)}`;
  const disk = d.name.startsWith('/') ? d.name : `/dev/${d.name}`;
  return disk.startsWith('/dev/') ? `check the disk (smartctl -a ${disk}), ${clear(p)}` : `check the storage under ${d.name}, ${clear(p)}`;
}

/** A leaf still ONLINE in a pool without data errors has had its errors repaired from redundancy. */
const counters: Rule = (s) =>
  s.devices.filter((d) => errorCount(d) > 0).map((d) => {
    const who = d.role === 'pool' ? 'the pool itself' : d.name;
    const verb = d.role === 'leaf' && d.state === 'ONLINE' && s.data_errors === 0 ? 'healed' : 'has';
    const scrubbed = s.scan.function === 'scrub' && s.scan.state === 'finished' && s.scan.end_time !== null && /repaired$/.test(d.note ?? '');
    const when = scrubbed ? ` in the scrub of ${day(s.scan.end_time ?? '')}` : '';
    return say('warning', s.name, `${who} ${verb} ${counterPhrase(d)}${aside(d.note)}${when}`, checkAdvice(s.name, d));
  });

/**
 * Counters accumulate until `zpool clear`: a disk whose counters grew since the last remembered
 * report, and whose last change before that was a rise too, is dying, however well each scrub
 * "repaired" it. Reports that saw no change between (a daily mail, weekly scrubs) do not count.
 */
const risingTwice: Rule = (s, { previous }) =>
  s.devices.flatMap((d): Finding[] => {
    const before = previous?.devices.get(d.name);
    const rise = riseOf(d, previous);
    if (d.role !== 'leaf' || !before?.rose || !rose(rise)) return [];
    const what = `${d.name}: ${growthPhrase(d, before, rise.since, rise)}, the second rise in a row`;
    return [say('warning', s.name, what, `replace it soon: ${cmd(`zpool replace ${s.name} ${d.name} NEW-DEVICE`)}`)];
  });

/**
 * The admin has seen this scrub's repairs and run `zpool clear`: the last report remembered
 * the same scrub with errors on its counters, and they are zero now. The scan line keeps
 * saying "repaired" until the next scrub; it is a note from then on, not a warning.
 */
function clearedSince(s: PoolStatus, scan: Scan, previous: PoolMemory | null): boolean {
  if (!previous || scan.end_time === null || previous.last_scan_end !== scan.end_time) return false;
  const remembered = [...previous.devices.values()];
  return remembered.some((d) => d.read + d.write + d.cksum > 0) && s.devices.every((d) => errorCount(d) === 0);
}

function scanFindings(s: PoolStatus, scan: Scan, previous: PoolMemory | null): Finding[] {
  const p = s.name;
  const on = scan.vdev ? ` of ${scan.vdev}` : '';
  const progress = `${scan.progress !== null ? `, ${scan.progress}% done` : ''}${scan.eta ? `, ${scan.eta} to go` : ''}`;
  const repaired = scan.function === 'scrub' && scan.repaired_bytes ? formatNiceNumber(scan.repaired_bytes, true) : null;
  const shownByCounters = s.devices.some((d) => errorCount(d) > 0);
  const which = scan.end_time ? `the ${scan.function}${on} of ${day(scan.end_time)}` : `the running ${scan.function}`;
  return [
    ...(scan.function === 'resilver' && scan.state === 'in_progress'
      ? [say('warning', p, `resilver${on} in progress${progress}`, 'let it finish before replacing or detaching other disks')]
      : []),
    ...(scan.function === 'scrub' && scan.state === 'in_progress' ? [say('note', p, `scrub in progress${progress}`)] : []),
    ...(scan.state === 'paused' ? [say('note', p, `scrub paused${progress}`, `resume it with ${cmd(`zpool scrub ${p}`)}`)] : []),
    ...(repaired && !shownByCounters
      ? [clearedSince(s, scan, previous)
          ? say('note', p, `${which} repaired ${repaired}; the counters have been cleared since`)
          : say('warning', p, `${which} repaired ${repaired}`, "a disk returned bad data; check the disks' SMART data (smartctl -a)")]
      : []),
    ...((scan.errors ?? 0) > 0 ? [say('warning', p, `${which} ended with ${plural(scan.errors ?? 0, 'error')}`, `run ${statusV(p)}`)] : []),
  ];
}

const scans: Rule = (s, { previous }) => scansOf(s).flatMap((scan) => scanFindings(s, scan, previous));

const scrubAge: Rule = (s, { previous, thresholds, now }) => {
  const { maxAgeMs, overdueScrub = 'warning' } = thresholds;
  if (maxAgeMs === null || !canScrub(s) || activeScans(s).length > 0) return [];
  const last = lastScrubEnd(s, previous?.last_scrub_end ?? null);
  const todo = `start one with ${cmd(`zpool scrub ${s.name}`)}`;
  if (last === null) return [say(overdueScrub, s.name, 'no finished scrub on record', todo)];
  const age = now.getTime() - Date.parse(last);
  const days = (ms: number) => Math.floor(ms / DAY_MS);
  return age > maxAgeMs ? [say(overdueScrub, s.name, `last scrub finished ${day(last)}, ${days(age)} days ago (limit ${days(maxAgeMs)})`, todo)] : [];
};

const capacity: Rule = (s, { capacity: used, thresholds: { capacityWarn, capacityCrit } }) => {
  if (used === null || used < capacityWarn) return [];
  const crit = used >= capacityCrit;
  const todo = 'free space (prune snapshots) or add disks; ZFS slows down as a pool fills';
  return [say(crit ? 'critical' : 'warning', s.name, `${used}% full (limit ${crit ? capacityCrit : capacityWarn}%)`, todo)];
};

/** The first lines of a list, quoted, and how many more there are. */
function quoted(lines: readonly string[], shown: number): string {
  const more = lines.length - shown;
  return lines.slice(0, shown).map((l) => `"${l}"`).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

const unreadable: Rule = (s) => {
  const [first] = s.unknown_lines;
  const n = s.unknown_lines.length;
  const what = `${plural(n, 'line')} of the output not understood, "${first ?? ''}"${n > 1 ? ' and more' : ''}`;
  const unfamiliar = s.unfamiliar_lines.length;
  // Shown so that a new wording is seen, but it cannot hide a fault: the verdict stands.
  const note = `${plural(unfamiliar, 'line')} zbk does not know, none of them where a fault could hide: ${quoted(s.unfamiliar_lines, 3)}`;
  return [
    ...(first === undefined ? [] : [say('unknown', s.name, what, `read ${statusV(s.name)} yourself`)]),
    ...(unfamiliar === 0 ? [] : [say('note', s.name, note)]),
    ...(s.devices.length === 0 && s.state === 'ONLINE' ? [say('unknown', s.name, 'the output has no config table', `run ${statusV(s.name)}`)] : []),
  ];
};

const RULES: readonly Rule[] = [poolState, deviceStates, dataErrors, risingTwice, counters, scans, scrubAge, capacity, unreadable];

const raises = (f: Finding): f is Finding & { level: Exclude<Alert, 'ok'> } => f.level !== 'note';

/** `capacity`: the pool's use as `zpool list` reported it; by default what the status output said. */
export function assess(status: PoolStatus, previous: PoolMemory | null, thresholds: Thresholds, now: Date, capacity = status.capacity): Assessment {
  const findings = RULES.flatMap((rule) => rule(status, { previous, capacity, thresholds, now }));
  const raised = findings.filter(raises).sort((a, b) => severity(b.level) - severity(a.level));
  return {
    alert: worstAlert(raised.map((f) => f.level)),
    reasons: raised.map((f) => f.text),
    levels: raised.map((f) => f.level),
    notes: findings.filter((f) => !raises(f)).map((f) => f.text),
  };
}

/**
 * `zpool status -j` (OpenZFS 2.3+), nested or `--json-flat-vdevs`, with or without `--json-int`,
 * keyed by name or `--json-pool-key-guid`. Shape (cmd/zpool/zpool_main.c, status_callback_json):
 *
 *   {"output_version": {"command": "zpool status", "vers_major": 0, "vers_minor": 1},
 *    "pools": {"tank": {"name", "state", "status"?, "action"?, "msgid"?,
 *      "scan_stats"?: {"function": SCRUB|RESILVER|NONE, "state": SCANNING|FINISHED|CANCELED|NONE,
 *                      "start_time", "end_time", "to_examine", "skipped", "issued", "processed",
 *                      "errors", "scrub_pause", "rebuild_stats"?: {"<vdev>": {...}}},
 *      "vdevs": {"tank": {root: "vdev_type": "root", "alloc_space", "total_space", counters,
 *                         "vdevs": {...children}}},
 *      "dedup"?, "special"?, "logs"?, "l2cache"?, "spares"?: {"<name>": vdev},
 *      "error_count", "errlist"?: [paths] | "<strerror>"}}}
 *
 * A vdev: "name", "vdev_type", "class", "state" (vdev_state_str: CANT_OPEN where text says
 * UNAVAIL), "read_errors", "write_errors", "checksum_errors", "was"?, "aux"?, "scan_processed"?,
 * "resilver_deferred"?, "parent"? (flat). Numbers are JSON numbers with --json-int, nicenum
 * strings without; times are epoch seconds with --json-int or -p, local date strings without.
 */
import { isoSeconds } from '../time/iso.js';
import { MAX_ERROR_FILES, NO_SCAN, type Device, type DeviceGroup, type DeviceRole, type ParsedStatus, type PoolStatus, type Scan } from './model.js';
import { parseNiceNumber } from './nicenum.js';
import { parsePrintedDate } from './printed-date.js';

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (isObj(v) ? Object.values(v).filter(isObj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' ? parseNiceNumber(v) : null);
const collapse = (v: unknown) => str(v)?.replace(/\s+/g, ' ').trim() || null;

/** Class keys of a pool entry (nested form), in the order zpool prints the sections. */
const CLASS_KEYS: ReadonlyArray<readonly [string, DeviceGroup]> = [
  ['dedup', 'dedup'],
  ['special', 'special'],
  ['logs', 'logs'],
  ['l2cache', 'cache'],
  ['spares', 'spares'],
];
/** The "class" of a vdev (flat form). */
const CLASS_GROUP: ReadonlyMap<string, DeviceGroup> = new Map([
  ['dedup', 'dedup'],
  ['special', 'special'],
  ['log', 'logs'],
  ['l2cache', 'cache'],
  ['spare', 'spares'],
]);
const GROUP_ORDER: readonly DeviceGroup[] = ['data', 'dedup', 'special', 'logs', 'cache', 'spares'];

/** vdev_aux_str values as the text form prints them after the counters (a Map: the value comes from outside). */
const AUX_NOTES: ReadonlyMap<string, string> = new Map([
  ['open_failed', 'cannot open'],
  ['corrupt_data', 'corrupted data'],
  ['no_replicas', 'insufficient replicas'],
  ['bad_guid_sum', 'missing device'],
  ['too_small', 'device too small'],
  ['bad_label', 'invalid label'],
  ['err_exceeded', 'too many errors'],
  ['io_failure', 'experienced I/O failures'],
  ['bad_log', 'bad intent log'],
  ['external', 'external device fault'],
  ['split_pool', 'split into new pool'],
  ['children_offline', 'all children offline'],
]);

export function parseJson(text: string, timeZone: string): ParsedStatus {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { pools: [], notes: [], unknown_lines: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (!isObj(doc) || !isObj(doc['pools'])) return { pools: [], notes: [], unknown_lines: ['JSON without a "pools" object'] };
  const major = isObj(doc['output_version']) ? num(doc['output_version']['vers_major']) : 0;
  const versionProblem = major === 0 ? [] : [`zpool status JSON output_version ${String(major)}.x, newer than zbk reads (0.x)`];
  const pools = Object.entries(doc['pools']).map(([key, entry]) => readPool(key, entry, timeZone, versionProblem));
  return { pools, notes: pools.length === 0 ? ['no pools available'] : [], unknown_lines: pools.length === 0 ? versionProblem : [] };
}

function readPool(key: string, entry: unknown, timeZone: string, unknownAlready: readonly string[]): PoolStatus {
  const pool: Obj = isObj(entry) ? entry : {};
  const unknown = [...unknownAlready, ...(isObj(entry) ? [] : [`pool ${key}: not an object`])];
  const time = (field: string, v: unknown): string | null => {
    const seconds = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
    if (seconds !== null) return seconds > 0 ? isoSeconds(new Date(seconds * 1000)) : null;
    if (v === undefined || v === null || v === '-') return null;
    const iso = parsePrintedDate(String(v), timeZone);
    if (iso === null) unknown.push(`${field}: ${String(v)} (not a date zbk reads; use --json-int)`);
    return iso;
  };
  const scans = readScans(isObj(pool['scan_stats']) ? pool['scan_stats'] : {}, time, unknown);
  const [scan = NO_SCAN, ...extra] = scans;
  const root = objects(pool['vdevs']).find((v) => v['vdev_type'] === 'root');
  const errlist = pool['errlist'];
  return {
    name: str(pool['name']) ?? key,
    state: str(pool['state']) ?? 'UNKNOWN',
    status: collapse(pool['status']),
    action: collapse(pool['action']),
    status_id: str(pool['msgid']),
    scan,
    extra_scans: extra,
    devices: readDevices(pool, scan),
    data_errors: num(pool['error_count']) ?? (Array.isArray(errlist) && errlist.length > 0 ? errlist.length : null),
    error_files: Array.isArray(errlist) ? errlist.slice(0, MAX_ERROR_FILES).map(String) : [],
    permanent_errors: Array.isArray(errlist),
    capacity: root ? capacityOf(root) : null,
    unknown_lines: unknown,
    unfamiliar_lines: [],
  };
}

type TimeReader = (field: string, v: unknown) => string | null;

const SCAN_FUNCTIONS = new Set(['NONE', 'SCRUB', 'RESILVER']);
const SCAN_STATES = new Set(['NONE', 'SCANNING', 'FINISHED', 'CANCELED']);

/** The pool-wide scan (when there was one) followed by the dRAID rebuilds. */
function readScans(stats: Obj, time: TimeReader, unknown: string[]): Scan[] {
  const fn = str(stats['function']);
  const state = str(stats['state']);
  if (fn !== null && !SCAN_FUNCTIONS.has(fn)) unknown.push(`scan_stats.function: ${fn}`);
  if (state !== null && !SCAN_STATES.has(state)) unknown.push(`scan_stats.state: ${state}`);
  const pool: Scan[] = fn === 'SCRUB' || fn === 'RESILVER' ? [poolScan(stats, fn, time)] : [];
  const rebuilds = Object.entries(isObj(stats['rebuild_stats']) ? stats['rebuild_stats'] : {}).flatMap(([vdev, r]) =>
    isObj(r) ? [rebuildScan(vdev, r, time)] : [],
  );
  return [...pool, ...rebuilds];
}

function poolScan(s: Obj, fn: 'SCRUB' | 'RESILVER', time: TimeReader): Scan {
  const state = str(s['state']);
  const paused = fn === 'SCRUB' && state === 'SCANNING' && time('scrub_pause', s['scrub_pause']) !== null;
  const finished = state === 'FINISHED';
  const running = state === 'SCANNING';
  const total = (num(s['to_examine']) ?? 0) - (num(s['skipped']) ?? 0);
  return {
    function: fn === 'SCRUB' ? 'scrub' : 'resilver',
    state: paused ? 'paused' : running ? 'in_progress' : finished ? 'finished' : state === 'CANCELED' ? 'canceled' : 'none',
    repaired_bytes: num(s['processed']),
    errors: finished ? num(s['errors']) : null,
    start_time: time('scan_stats.start_time', s['start_time']),
    end_time: running ? null : time('scan_stats.end_time', s['end_time']),
    progress: running && total > 0 ? Math.round((10_000 * (num(s['issued']) ?? 0)) / total) / 100 : null,
  };
}

function rebuildScan(vdev: string, r: Obj, time: TimeReader): Scan {
  const state = str(r['state']);
  const running = state === 'ACTIVE';
  return {
    function: 'resilver',
    state: running ? 'in_progress' : state === 'COMPLETE' ? 'finished' : state === 'CANCELED' ? 'canceled' : 'none',
    repaired_bytes: num(r['rebuilt']),
    errors: state === 'COMPLETE' ? num(r['errors']) : null,
    start_time: time(`rebuild_stats.${vdev}.start_time`, r['start_time']),
    end_time: running ? null : time(`rebuild_stats.${vdev}.end_time`, r['end_time']),
    progress: null,
    vdev,
  };
}

/**
 * Every vdev in the order the text form prints its config table. The flat form (every vdev a
 * key of "vdevs", with "parent" but on the tops) is rebuilt from the parent links alone: its
 * "vdevs" inside interior vdevs repeat their subtree flattened.
 */
function readDevices(pool: Obj, scan: Scan): Device[] {
  const listed = objects(pool['vdevs']);
  const flat = listed.some((v) => 'parent' in v);
  const tops: Array<readonly [Obj, DeviceGroup]> = [
    ...listed.filter((v) => !('parent' in v)).map((v) => [v, groupOf(v)] as const),
    ...CLASS_KEYS.flatMap(([key, group]) => objects(pool[key]).map((v) => [v, group] as const)),
  ];
  tops.sort((a, b) => GROUP_ORDER.indexOf(a[1]) - GROUP_ORDER.indexOf(b[1]));
  const byParent = new Map<unknown, Obj[]>();
  for (const v of flat ? listed.filter((c) => 'parent' in c) : []) {
    const siblings = byParent.get(v['parent']);
    if (siblings) siblings.push(v);
    else byParent.set(v['parent'], [v]);
  }
  const childrenOf = (v: Obj) => (flat ? (byParent.get(v['name']) ?? []) : objects(v['vdevs']));
  // Depth first with a stack of its own: nesting from outside can be deeper than the call stack.
  const stack: Array<readonly [Obj, number, DeviceGroup]> = tops.map(([v, group]) => [v, str(v['vdev_type']) === 'root' ? 0 : 1, group] as const).reverse();
  const seen = new Set<Obj>();
  const rows: Device[] = [];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, depth, group] = next;
    if (seen.has(v)) continue;
    seen.add(v);
    const children = childrenOf(v);
    const role: DeviceRole = str(v['vdev_type']) === 'root' ? 'pool' : children.length > 0 ? 'vdev' : 'leaf';
    rows.push(device(v, depth, group, role, scan));
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1, group]);
  }
  return rows;
}

function groupOf(v: Obj): DeviceGroup {
  return CLASS_GROUP.get(str(v['class']) ?? '') ?? 'data';
}

function device(v: Obj, depth: number, group: DeviceGroup, role: DeviceRole, scan: Scan): Device {
  return {
    name: str(v['name']) ?? '',
    state: stateOf(v),
    read: num(v['read_errors']) ?? 0,
    write: num(v['write_errors']) ?? 0,
    cksum: num(v['checksum_errors']) ?? 0,
    note: noteOf(v, role, scan),
    depth,
    role,
    group,
  };
}

const auxOf = (v: Obj) => str(v['aux'])?.toLowerCase() ?? null;

/** The state as the text form prints it (zpool_state_to_name): CANT_OPEN is UNAVAIL unless the data is bad. */
function stateOf(v: Obj): string {
  const state = str(v['state']) ?? 'UNKNOWN';
  const aux = auxOf(v);
  if (state === 'CLOSED') return 'OFFLINE';
  if (state !== 'CANT_OPEN') return state;
  if (aux === 'corrupt_data' || aux === 'bad_log') return 'FAULTED';
  return aux === 'split_pool' ? 'SPLIT' : 'UNAVAIL';
}

/** The annotations the text form prints after a row's counters. */
function noteOf(v: Obj, role: DeviceRole, scan: Scan): string | null {
  const aux = auxOf(v);
  const notes = [
    str(v['was']) && `was ${str(v['was'])}`,
    !v['was'] && aux && aux !== 'none' && aux !== 'spared' && (AUX_NOTES.get(aux) ?? aux.replace(/_/g, ' ')),
    num(v['removing']) && '(removing)',
    num(v['noalloc']) && '(non-allocating)',
    role === 'leaf' && scan.state === 'in_progress' && num(v['scan_processed']) && `(${scan.function === 'resilver' ? 'resilvering' : 'repairing'})`,
    role === 'leaf' && scan.state === 'in_progress' && !num(v['scan_processed']) && num(v['resilver_deferred']) && '(awaiting resilver)',
  ].filter((n): n is string => typeof n === 'string' && n !== '');
  return notes.length > 0 ? notes.join('  ') : null;
}

/** Percent in use, as `zpool list` rounds it (down). */
function capacityOf(root: Obj): number | null {
  const alloc = num(root['alloc_space']);
  const total = num(root['total_space']);
  return alloc !== null && total ? Math.floor((100 * alloc) / total) : null;
}

/**
 * The report memory as it is kept in `<state_dir>/health.json`: `{"<pool>": {..., "devices":
 * {"<device>": {...}}}}`. The file is read as data from outside: written by an older zbk,
 * edited or tampered with. A pool entry that is not what zbk writes is dropped, so the pool is
 * reported as seen for the first time (which hides nothing); a device entry likewise. Keys are
 * taken as names whatever they are (`__proto__` included).
 */
import { ALERTS, type Alert } from './alert.js';
import type { HealthMemory, PoolMemory, RememberedDevice } from './remembered.js';

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const instantOrNull = (v: unknown): string | null => (isInstant(v) ? v : null);
const isAlert = (v: unknown): v is Alert => typeof v === 'string' && (ALERTS as readonly string[]).includes(v);

function readDevice(v: unknown): RememberedDevice | null {
  if (!isObj(v) || typeof v['state'] !== 'string') return null;
  const { read, write, cksum } = v;
  // `rose` is absent from the files of zbk before the rise: it did not rise as far as anyone knows.
  return isCount(read) && isCount(write) && isCount(cksum) ? { state: v['state'], read, write, cksum, rose: v['rose'] === true } : null;
}

function readPool(v: unknown): PoolMemory | null {
  if (!isObj(v) || !isInstant(v['at']) || typeof v['state'] !== 'string' || !isAlert(v['alert'])) return null;
  const devices = new Map<string, RememberedDevice>();
  for (const [name, d] of Object.entries(isObj(v['devices']) ? v['devices'] : {})) {
    const device = readDevice(d);
    if (device) devices.set(name, device);
  }
  const dataErrors = v['data_errors'];
  return {
    at: v['at'],
    state: v['state'],
    alert: v['alert'],
    data_errors: isCount(dataErrors) ? dataErrors : null,
    last_scan_end: instantOrNull(v['last_scan_end']),
    last_scrub_end: instantOrNull(v['last_scrub_end']),
    devices,
  };
}

/** The memory in a parsed health.json; what cannot be read is left out. */
export function memoryFromJson(doc: unknown): HealthMemory {
  const memory = new Map<string, PoolMemory>();
  for (const [name, v] of Object.entries(isObj(doc) ? doc : {})) {
    const pool = readPool(v);
    if (pool) memory.set(name, pool);
  }
  return memory;
}

/** Plain data for JSON.stringify. Object.fromEntries defines every key as the object's own, `__proto__` too. */
export function memoryToJson(memory: HealthMemory): Record<string, unknown> {
  return Object.fromEntries([...memory].map(([name, p]) => [name, { ...p, devices: Object.fromEntries(p.devices) }]));
}

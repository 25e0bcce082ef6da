/** health.json read as data from outside: any name is a key, what zbk did not write is left out. */
import test from 'ava';
import fc from 'fast-check';
import { remember } from '../../src/health/memory.js';
import type { HealthMemory, PoolMemory } from '../../src/health/remembered.js';
import { memoryFromJson, memoryToJson } from '../../src/health/memory-json.js';
import { device, holds, NOW, pool } from './builders.js';

const entry = (over: Record<string, unknown> = {}) => ({
  at: '2026-11-26T06:00:00Z', state: 'ONLINE', alert: 'warning', data_errors: 0,
  last_scan_end: '2026-11-20T04:00:00Z', last_scrub_end: '2026-11-20T04:00:00Z',
  devices: { ada1: { state: 'ONLINE', read: 0, write: 0, cksum: 29 } },
  ...over,
});

const viaFile = (memory: HealthMemory) => memoryFromJson(JSON.parse(JSON.stringify(memoryToJson(memory))));

test('pools and devices named __proto__, constructor and toString are kept as names, and nothing leaks from Object.prototype', (t) => {
  const text = `{"__proto__": ${JSON.stringify(entry({ devices: { __proto__x: 1 } })).replace('"__proto__x":1', '"__proto__": {"state": "ONLINE", "read": 1, "write": 0, "cksum": 0}')},
    "constructor": ${JSON.stringify(entry())}, "toString": ${JSON.stringify(entry())}}`;
  const memory = memoryFromJson(JSON.parse(text));
  t.deepEqual([...memory.keys()], ['__proto__', 'constructor', 'toString']);
  t.deepEqual(memory.get('__proto__')?.devices.get('__proto__'), { state: 'ONLINE', read: 1, write: 0, cksum: 0, rose: false });
  t.is(memoryFromJson({}).get('constructor'), undefined);
  t.is(memoryFromJson({}).get('hasOwnProperty'), undefined);
  t.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test('entries an older zbk or a hand wrote wrongly are left out: the pool is then reported as new', (t) => {
  const memory = memoryFromJson({
    good: entry(),
    number: 5,
    list: [entry()],
    noAt: entry({ at: 'yesterday' }),
    badAlert: entry({ alert: 'fine' }),
    badDevices: entry({ devices: { ok: { state: 'ONLINE', read: 0, write: 0, cksum: 0 }, neg: { state: 'ONLINE', read: -1, write: 0, cksum: 0 }, str: 'x', nan: { state: 'ONLINE', read: '1', write: 0, cksum: 0 } } }),
    oldShape: { at: '2026-11-26T06:00:00Z', state: 'ONLINE', alert: 'ok' },
  });
  t.deepEqual([...memory.keys()], ['good', 'badDevices', 'oldShape']);
  t.deepEqual([...(memory.get('badDevices')?.devices.keys() ?? [])], ['ok']);
  t.like(memory.get('oldShape'), { data_errors: null, last_scan_end: null, last_scrub_end: null });
  t.is(memory.get('oldShape')?.devices.size, 0);
  for (const doc of [null, 'text', 42, [], true]) t.is(memoryFromJson(doc).size, 0);
});

test('whatever the pool and device names, the memory comes back from its file as it was written', (t) => {
  const name = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '-f', ''), fc.string({ unit: 'binary' }));
  holds(
    t,
    fc.property(fc.uniqueArray(name, { maxLength: 4 }), fc.uniqueArray(name, { maxLength: 4 }), (pools, devices) => {
      const memory: HealthMemory = new Map(
        pools.map((p): [string, PoolMemory] => [p, remember(pool({ name: p, devices: devices.map((d, i) => device(d, { cksum: i })) }), 'ok', NOW, null)]),
      );
      const back = viaFile(memory);
      return (
        JSON.stringify([...back].map(([k, v]) => [k, [...v.devices]])) === JSON.stringify([...memory].map(([k, v]) => [k, [...v.devices]])) &&
        [...back.keys()].every((k) => back.get(k)?.at === memory.get(k)?.at)
      );
    }),
  );
});

test('a file of the zbk before the rise still loads: its devices did not rise as far as anyone knows; only true is true', (t) => {
  const memory = memoryFromJson({
    old: entry(),
    now: entry({ devices: { ada1: { state: 'ONLINE', read: 0, write: 0, cksum: 29, rose: true }, ada2: { state: 'ONLINE', read: 0, write: 0, cksum: 0, rose: 'yes' } } }),
  });
  t.deepEqual(memory.get('old')?.devices.get('ada1'), { state: 'ONLINE', read: 0, write: 0, cksum: 29, rose: false });
  t.is(memory.get('now')?.devices.get('ada1')?.rose, true);
  t.is(memory.get('now')?.devices.get('ada2')?.rose, false);
  t.is(viaFile(memory).get('now')?.devices.get('ada1')?.rose, true, 'written back as it was read');
});

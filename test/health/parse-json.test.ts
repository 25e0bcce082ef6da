import test from 'ava';
import fc from 'fast-check';
import type { PoolStatus } from '../../src/health/model.js';
import { parseJson } from '../../src/health/parse-json.js';
import { fixture } from '../helpers/fixtures.js';
import { holds } from './builders.js';

const read = (name: string, zone = 'UTC') => parseJson(fixture(`zpool-status/${name}`), zone);
const only = (name: string, zone = 'UTC'): PoolStatus => {
  const [pool] = read(name, zone).pools;
  if (!pool) throw new Error(`${name}: no pool`);
  return pool;
};
const tree = (pool: PoolStatus) => pool.devices.map((d) => `${d.depth} ${d.role} ${d.group} ${d.name} ${d.state}`);

const NESTED = 'openzfs-2.3-json-int-nested-groups-healed-checksum.json';
const FLAT = 'openzfs-2.3-json-int-flat-vdevs.json';

test('--json-int, nested: the pool, its scrub, its capacity', (t) => {
  const pool = only(NESTED);
  t.like(pool, { name: 'tank', state: 'ONLINE', status_id: 'ZFS-8000-9P', data_errors: 0, capacity: 41, permanent_errors: false, unknown_lines: [] });
  t.is(pool.action, "Determine if the device needs to be replaced, and clear the errors using 'zpool clear' or replace the device with 'zpool replace'.");
  t.deepEqual(pool.scan, {
    function: 'scrub',
    state: 'finished',
    repaired_bytes: 1_772_093,
    errors: 0,
    start_time: '2026-11-26T21:05:17Z',
    end_time: '2026-11-26T23:48:49Z',
    progress: null,
  });
});

test('vdevs come out in the order the text prints them, class sections after the tree', (t) => {
  t.deepEqual(tree(only(NESTED)), [
    '0 pool data tank ONLINE',
    '1 vdev data raidz2-0 ONLINE',
    '2 leaf data ada0 ONLINE',
    '2 leaf data ada1 ONLINE',
    '2 leaf data ada2 ONLINE',
    '2 leaf data ada3 ONLINE',
    '1 vdev special mirror-1 ONLINE',
    '2 leaf special nda0p1 ONLINE',
    '2 leaf special nda1p1 ONLINE',
    '1 leaf logs nda0p2 ONLINE',
    '1 leaf cache nda1p2 ONLINE',
    '1 leaf spares ada4 AVAIL',
  ]);
  t.is(only(NESTED).devices.find((d) => d.name === 'ada2')?.cksum, 29);
});

test('--json-flat-vdevs reads the same as the nested form', (t) => {
  t.deepEqual(only(FLAT), only(NESTED));
});

test('without --json-int: nicenum strings, local dates read in the zone given, an errlist', (t) => {
  const pool = only('openzfs-2.3-json-strings-resilvering-cant-open-errlist.json', 'America/New_York');
  t.like(pool, { state: 'DEGRADED', data_errors: 3, permanent_errors: true, capacity: 72, unknown_lines: [] });
  t.deepEqual(pool.error_files, [
    '<metadata>:<0x0>',
    'backup/hosts/usa-vds@zbk_2026-11-20T030000Z:/var/lib/mysql/ibdata1',
    '/backup/hosts/usa-vds/home/www/index.php',
  ]);
  t.like(pool.scan, { function: 'resilver', state: 'in_progress', start_time: '2026-11-26T21:05:17Z', end_time: null, progress: 47.89, repaired_bytes: 1_319_413_953_331 });
});

test('CANT_OPEN reads as UNAVAIL, with the annotations the text form prints', (t) => {
  const pool = only('openzfs-2.3-json-strings-resilvering-cant-open-errlist.json', 'America/New_York');
  const notes = pool.devices.map((d) => `${d.name} ${d.state} ${d.note ?? '-'}`);
  t.deepEqual(notes, [
    'backup DEGRADED -',
    'mirror-0 DEGRADED -',
    'ada0 ONLINE -',
    'replacing-1 DEGRADED -',
    '9876543210987654321 UNAVAIL was /dev/ada1',
    'ada5 ONLINE (resilvering)',
  ]);
  t.is(pool.devices[2]?.cksum, 2);
});

test('dRAID: a sequential rebuild is a resilver of its vdev; an open failure says "cannot open"', (t) => {
  const pool = only('openzfs-2.3-json-int-draid-rebuild-cant-open.json');
  t.like(pool.scan, { function: 'resilver', state: 'in_progress', vdev: 'draid1:3d:5c:1s-0', repaired_bytes: 137_438_953_472, start_time: '2026-11-27T01:12:40Z' });
  t.like(pool.devices.find((d) => d.name === 'da2'), { state: 'UNAVAIL', note: 'cannot open' });
  t.like(pool.devices.at(-1), { name: 'draid1-0-0', group: 'spares', state: 'INUSE' });
});

test('no pools is said as zpool says it in text', (t) => {
  t.deepEqual(read('openzfs-2.3-json-no-pools.json'), { pools: [], notes: ['no pools available'], unknown_lines: [] });
});

test('paused scrubs, canceled scans, and an errlist that is an error message', (t) => {
  const doc = (pool: object) => JSON.stringify({ pools: { tank: { name: 'tank', state: 'ONLINE', error_count: '4', ...pool } } });
  const paused = parseJson(doc({ scan_stats: { function: 'SCRUB', state: 'SCANNING', start_time: 1795727117, scrub_pause: 1795741960 } }), 'UTC');
  t.is(paused.pools[0]?.scan.state, 'paused');
  const canceled = parseJson(doc({ scan_stats: { function: 'SCRUB', state: 'CANCELED', end_time: 1795741960, errors: 0 } }), 'UTC');
  t.like(canceled.pools[0]?.scan, { state: 'canceled', end_time: '2026-11-27T01:12:40Z', errors: null });
  const denied = parseJson(doc({ errlist: 'Permission denied' }), 'UTC');
  t.like(denied.pools[0], { data_errors: 4, permanent_errors: false, error_files: [] });
});

test('dates zbk cannot read (a locale %x) are kept as not understood', (t) => {
  const text = JSON.stringify({ pools: { tank: { name: 'tank', state: 'ONLINE', scan_stats: { function: 'SCRUB', state: 'CANCELED', start_time: '25/09/22', end_time: '25/09/22' } } } });
  const [pool] = parseJson(text, 'UTC').pools;
  t.is(pool?.scan.end_time, null);
  t.deepEqual(pool?.unknown_lines, ['scan_stats.start_time: 25/09/22 (not a date zbk reads; use --json-int)', 'scan_stats.end_time: 25/09/22 (not a date zbk reads; use --json-int)']);
});

test('invalid JSON, a document without pools, and a newer major version are not understood', (t) => {
  t.regex(parseJson('{"pools": ', 'UTC').unknown_lines[0] ?? '', /^not valid JSON/);
  t.deepEqual(parseJson('[1, 2]', 'UTC').unknown_lines, ['JSON without a "pools" object']);
  const newer = parseJson(JSON.stringify({ output_version: { vers_major: 1 }, pools: { tank: { name: 'tank', state: 'ONLINE' } } }), 'UTC');
  t.deepEqual(newer.pools[0]?.unknown_lines, ['zpool status JSON output_version 1.x, newer than zbk reads (0.x)']);
});

test('the parser never throws, whatever the JSON', (t) => {
  holds(
    t,
    fc.property(fc.jsonValue(), fc.jsonValue(), (pool, anything) => {
      const parsed = parseJson(JSON.stringify({ pools: { tank: pool, other: { vdevs: anything, scan_stats: anything } } }), 'UTC');
      return parsed.pools.length === 2;
    }),
  );
});

test('vdevs nested deeper than the call stack, and a million-entry errlist, are read without a stack overflow', (t) => {
  const depth = 100_000;
  const nested = `${'{"a":{"name":"a","vdev_type":"mirror","vdevs":'.repeat(depth)}{}${'}}'.repeat(depth)}`;
  const errlist = JSON.stringify(Array.from({ length: 1_000_000 }, (_, i) => `tank/fs:/f${i}`));
  const doc = `{"pools":{"tank":{"name":"tank","state":"ONLINE","errlist":${errlist},"vdevs":{"tank":{"name":"tank","vdev_type":"root","vdevs":${nested}}}}}}`;
  const [pool] = parseJson(doc, 'UTC').pools;
  t.is(pool?.devices.length, depth + 1);
  t.is(pool?.devices.at(-1)?.depth, depth);
  t.is(pool?.data_errors, 1_000_000, 'no error_count: the list counts');
  t.is(pool?.error_files.length, 1000);
});

test('--json-flat-vdevs with many vdevs under one parent is read in linear time', (t) => {
  const n = 50_000;
  const vdevs: Record<string, unknown> = { tank: { name: 'tank', vdev_type: 'root', state: 'ONLINE' } };
  for (let i = 0; i < n; i++) vdevs[`d${i}`] = { name: `d${i}`, vdev_type: 'disk', state: 'ONLINE', parent: 'tank' };
  const started = performance.now();
  const [pool] = parseJson(JSON.stringify({ pools: { tank: { name: 'tank', state: 'ONLINE', error_count: 0, vdevs } } }), 'UTC').pools;
  t.true(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
  t.is(pool?.devices.length, n + 1);
});

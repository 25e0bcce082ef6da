import test from 'ava';
import { parse } from '../../../src/health/parse.js';
import { renderJson, toJson } from '../../../src/health/render/json.js';
import { buildReport, nextMemory } from '../../../src/health/report.js';
import { fixture } from '../../helpers/fixtures.js';
import { device, NOW, pool, scan, THRESHOLDS, withLeaf } from '../builders.js';

test('the contract example, built from the same facts, comes out as CONTRACT.md shows it', (t) => {
  const status = pool({
    status_id: 'ZFS-8000-9P',
    scan: scan({ repaired_bytes: 1_772_093, end_time: '2026-11-26T23:48:49Z' }),
    devices: [device('tank', { depth: 0, role: 'pool' }), device('mirror-0', { depth: 1, role: 'vdev' }), device('/tmp/d1', { cksum: 29, note: '1.69M repaired' })],
  });
  const json = toJson(buildReport({ pools: [status], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW));
  t.deepEqual(JSON.parse(JSON.stringify(json)), {
    alert: 'warning',
    pools: [
      {
        name: 'tank',
        state: 'ONLINE',
        alert: 'warning',
        reasons: ['tank: /tmp/d1 healed 29 checksum errors (1.69M repaired) in the scrub of 2026-11-26 — check the storage under /tmp/d1, then run `zpool clear tank`'],
        status_id: 'ZFS-8000-9P',
        scan: { function: 'scrub', state: 'finished', repaired_bytes: 1_772_093, errors: 0, end_time: '2026-11-26T23:48:49Z', progress: null },
        devices: [
          { name: 'tank', state: 'ONLINE', read: 0, write: 0, cksum: 0, note: null, rise: null },
          { name: 'mirror-0', state: 'ONLINE', read: 0, write: 0, cksum: 0, note: null, rise: null },
          { name: '/tmp/d1', state: 'ONLINE', read: 0, write: 0, cksum: 29, note: '1.69M repaired', rise: null },
        ],
        data_errors: 0,
        error_files: [],
        capacity: null,
      },
    ],
  });
});

test('keys come in the contract order, and nothing else is added', (t) => {
  const report = buildReport(parse(fixture('zpool-status/openzfs-2.3-json-strings-resilvering-cant-open-errlist.json'), 'json', 'UTC'), new Map(), THRESHOLDS, NOW);
  const json = JSON.parse(renderJson(report)) as { pools: Array<Record<string, unknown> & { scan: object; devices: object[] }> };
  const [p] = json.pools;
  t.deepEqual(Object.keys(json), ['alert', 'pools']);
  t.deepEqual(Object.keys(p ?? {}), ['name', 'state', 'alert', 'reasons', 'status_id', 'scan', 'devices', 'data_errors', 'error_files', 'capacity']);
  t.deepEqual(Object.keys(p?.scan ?? {}), ['function', 'state', 'repaired_bytes', 'errors', 'end_time', 'progress']);
  t.deepEqual(Object.keys(p?.devices[0] ?? {}), ['name', 'state', 'read', 'write', 'cksum', 'note', 'rise']);
});

test('an empty report is still the contract shape, and ends with a newline', (t) => {
  const text = renderJson(buildReport({ pools: [], notes: [], unknown_lines: ['?'] }, new Map(), THRESHOLDS, NOW));
  t.is(text, '{\n  "alert": "unknown",\n  "pools": []\n}\n');
});

test('the data_errors of a pool that does not say are null', (t) => {
  const json = toJson(buildReport({ pools: [withLeaf(device('ada1'), { data_errors: null })], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW));
  t.is(json.pools[0]?.data_errors, null);
});

test('C1 controls and bidi overrides are escaped as \\u escapes; the JSON parses to the names exactly', (t) => {
  const name = 'tank\u009b2J\u202e\u2066\x1b';
  const text = renderJson(buildReport({ pools: [pool({ name, error_files: ['a\u202eb'], data_errors: 1, permanent_errors: true })], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW));
  t.notRegex(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2066]/);
  t.regex(text, /"name": "tank\\u009b2J\\u202e\\u2066\\u001b"/);
  const back = JSON.parse(text) as { pools: { name: string; error_files: string[] }[] };
  t.is(back.pools[0]?.name, name);
  t.deepEqual(back.pools[0]?.error_files, ['a\u202eb']);
});

test('each device has its rise since the previous remembered report, keys in the contract order', (t) => {
  const first = buildReport({ pools: [withLeaf(device('ada1', { cksum: 17 }))], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, new Date('2026-11-25T04:00:00Z'));
  const memory = nextMemory(first, new Map(), new Date('2026-11-25T04:00:00Z'));
  const json = JSON.parse(renderJson(buildReport({ pools: [withLeaf(device('ada1', { cksum: 29 }))], notes: [], unknown_lines: [] }, memory, THRESHOLDS, NOW))) as {
    pools: { devices: { name: string; rise: Record<string, unknown> | null }[] }[];
  };
  const ada1 = json.pools[0]?.devices.find((d) => d.name === 'ada1');
  t.deepEqual(ada1?.rise, { read: 0, write: 0, cksum: 12, since: '2026-11-25T04:00:00Z' });
  t.deepEqual(Object.keys(ada1?.rise ?? {}), ['read', 'write', 'cksum', 'since']);
  t.deepEqual(json.pools[0]?.devices.find((d) => d.name === 'ada0')?.rise, { read: 0, write: 0, cksum: 0, since: '2026-11-25T04:00:00Z' });
});

import test from 'ava';
import fc from 'fast-check';
import { NO_SCAN } from '../../../src/health/model.js';
import { escapeLabelValue, renderPrometheus } from '../../../src/health/render/prometheus.js';
import { buildReport, nextMemory } from '../../../src/health/report.js';
import { device, holds, NOW, pool, THRESHOLDS, withLeaf } from '../builders.js';

const render = (...pools: Parameters<typeof buildReport>[0]['pools']) => renderPrometheus(buildReport({ pools, notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW), NOW);
const samples = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));

test('every family has HELP and TYPE lines, its samples right after them', (t) => {
  const lines = render(pool({ capacity: 48 })).trimEnd().split('\n');
  const families = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
  t.deepEqual(families, [
    'zbk_pool_state',
    'zbk_pool_alert',
    'zbk_pool_last_scrub_age_seconds',
    'zbk_pool_scan_repaired_bytes',
    'zbk_pool_data_errors',
    'zbk_pool_capacity_ratio',
    'zbk_device_read_errors',
    'zbk_device_write_errors',
    'zbk_device_checksum_errors',
    'zbk_device_read_errors_rise',
    'zbk_device_write_errors_rise',
    'zbk_device_checksum_errors_rise',
  ]);
  let family = '';
  for (const l of lines) {
    if (l.startsWith('# HELP ')) family = l.split(' ')[2] ?? '';
    else if (!l.startsWith('#')) t.true(l.startsWith(`${family}{`), l);
  }
});

test('pool gauges: state set, alert code, scrub age, repaired bytes, data errors, capacity', (t) => {
  const text = render(withLeaf(device('ada1', { cksum: 29 }), { capacity: 48 }));
  t.true(text.includes('zbk_pool_state{pool="tank",state="ONLINE"} 1\n'));
  t.true(text.includes('zbk_pool_state{pool="tank",state="DEGRADED"} 0\n'));
  t.is(samples(text, 'zbk_pool_state').length, 7);
  t.true(text.includes('zbk_pool_alert{pool="tank"} 1\n'));
  t.true(text.includes('zbk_pool_last_scrub_age_seconds{pool="tank"} 612000\n'));
  t.true(text.includes('zbk_pool_scan_repaired_bytes{pool="tank",function="scrub"} 0\n'));
  t.true(text.includes('zbk_pool_data_errors{pool="tank"} 0\n'));
  t.true(text.includes('zbk_pool_capacity_ratio{pool="tank"} 0.48\n'));
});

test('device gauges per config row, spares left out', (t) => {
  const text = render(pool({ devices: [...pool().devices.map((d) => (d.name === 'ada1' ? { ...d, read: 3, cksum: 29 } : d)), device('ada9', { group: 'spares', state: 'AVAIL' })] }));
  t.deepEqual(samples(text, 'zbk_device_checksum_errors'), [
    'zbk_device_checksum_errors{pool="tank",device="tank",state="ONLINE"} 0',
    'zbk_device_checksum_errors{pool="tank",device="mirror-0",state="ONLINE"} 0',
    'zbk_device_checksum_errors{pool="tank",device="ada0",state="ONLINE"} 0',
    'zbk_device_checksum_errors{pool="tank",device="ada1",state="ONLINE"} 29',
  ]);
  t.true(text.includes('zbk_device_read_errors{pool="tank",device="ada1",state="ONLINE"} 3\n'));
});

test('unknown values: data errors NaN, never scrubbed +Inf, no capacity or amount sample', (t) => {
  const text = render(pool({ data_errors: null, scan: NO_SCAN }));
  t.true(text.includes('zbk_pool_data_errors{pool="tank"} NaN\n'));
  t.true(text.includes('zbk_pool_last_scrub_age_seconds{pool="tank"} +Inf\n'));
  t.deepEqual(samples(text, 'zbk_pool_capacity_ratio'), []);
  t.deepEqual(samples(text, 'zbk_pool_scan_repaired_bytes'), []);
});

test('label values escape backslash, double quote and newline', (t) => {
  t.is(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  t.true(render(withLeaf(device('ada1'), { name: 'we"ird' })).includes('zbk_pool_alert{pool="we\\"ird"} 0\n'));
});

test('escaping can be undone: the value comes back, and no raw quote or newline is left', (t) => {
  const unescape = (s: string) => s.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  holds(
    t,
    fc.property(fc.string({ unit: 'binary' }), (value) => {
      const escaped = escapeLabelValue(value);
      return unescape(escaped) === value && !/(^|[^\\])(\\\\)*"/.test(escaped) && !escaped.includes('\n');
    }),
  );
});

test('the rise per device since the previous remembered report; none without one, none after a clear', (t) => {
  const at = new Date('2026-11-25T04:00:00Z');
  const memory = nextMemory(buildReport({ pools: [withLeaf(device('ada1', { cksum: 17 }))], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, at), new Map(), at);
  const later = (leaf: ReturnType<typeof device>) => renderPrometheus(buildReport({ pools: [withLeaf(leaf)], notes: [], unknown_lines: [] }, memory, THRESHOLDS, NOW), NOW);
  t.deepEqual(samples(later(device('ada1', { cksum: 60 })), 'zbk_device_checksum_errors_rise'), [
    'zbk_device_checksum_errors_rise{pool="tank",device="tank",state="ONLINE"} 0',
    'zbk_device_checksum_errors_rise{pool="tank",device="mirror-0",state="ONLINE"} 0',
    'zbk_device_checksum_errors_rise{pool="tank",device="ada0",state="ONLINE"} 0',
    'zbk_device_checksum_errors_rise{pool="tank",device="ada1",state="ONLINE"} 43',
  ]);
  t.false(later(device('ada1', { cksum: 2 })).includes('zbk_device_checksum_errors_rise{pool="tank",device="ada1"'), 'cleared: no rise');
  t.deepEqual(samples(render(pool()), 'zbk_device_read_errors_rise'), [], 'no previous report');
});

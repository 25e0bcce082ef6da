/**
 * Names from outside are data: pools and devices named `__proto__`, `constructor`, `toString`
 * or `-f`, and file names with terminal escapes, go through parse → assess → memory → render
 * like any other. Covers the pipeline of src/health/report.ts with its renderers.
 */
import test from 'ava';
import fc from 'fast-check';
import type { HealthMemory } from '../../src/health/remembered.js';
import { memoryFromJson, memoryToJson } from '../../src/health/memory-json.js';
import { detectFormat, parse } from '../../src/health/parse.js';
import { renderJson } from '../../src/health/render/json.js';
import { renderNagios } from '../../src/health/render/nagios.js';
import { renderPrometheus } from '../../src/health/render/prometheus.js';
import { renderText } from '../../src/health/render/text.js';
import { buildReport, hasNewTrouble, nextMemory } from '../../src/health/report.js';
import { printable } from '../../src/util/printable.js';
import { fixture } from '../helpers/fixtures.js';
import { holds, NOW, THRESHOLDS } from './builders.js';

/** Through the file, as the next run reads it. */
const stored = (memory: HealthMemory) => memoryFromJson(JSON.parse(JSON.stringify(memoryToJson(memory))));

/** Reports an output twice, the second time against the memory the first left: both reports and the memory. */
function twice(output: string) {
  const first = buildReport(parse(output, detectFormat(output), 'UTC'), new Map(), THRESHOLDS, NOW);
  const memory = stored(nextMemory(first, new Map(), NOW));
  const second = buildReport(parse(output, detectFormat(output), 'UTC'), memory, THRESHOLDS, NOW);
  return { first, memory, second };
}

for (const file of ['hostile-names-proto-constructor-controls.txt', 'hostile-names-proto-constructor-controls.json']) {
  test(`${file}: every pool is reported, remembered and compared by its name`, (t) => {
    const { first, memory, second } = twice(fixture(`zpool-status/${file}`));
    const names = first.pools.map((p) => p.status.name);
    t.deepEqual([...memory.keys()], names);
    t.deepEqual(second.pools.map((p) => p.changes), names.map(() => []), 'the same output again: nothing new');
    t.false(hasNewTrouble(second));
    t.is(first.alert, 'critical');
    for (const render of [renderText(second, NOW), renderNagios(second, NOW), renderJson(second), renderPrometheus(second, NOW)]) {
      t.notRegex(render, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no raw control or bidi character in any format');
    }
  });
}

test('the text dialect: pools constructor, toString, __proto__ and -f, with the verdicts their facts give', (t) => {
  const { first } = twice(fixture('zpool-status/hostile-names-proto-constructor-controls.txt'));
  t.deepEqual(first.pools.map((p) => [p.status.name, p.assessment.alert]), [['constructor', 'critical'], ['toString', 'critical'], ['__proto__', 'ok'], ['-f', 'ok']]);
  t.deepEqual(first.pools[1]?.status.devices.map((d) => d.name), ['toString', 'constructor', '-f']);
  t.deepEqual(first.pools[0]?.status.devices.map((d) => [d.name, d.role]), [['constructor', 'pool'], ['mirror-0', 'vdev'], ['__proto__', 'leaf'], ['toString', 'leaf']]);
  const text = renderText(first, NOW);
  t.regex(text, /toString\/fs:\/etc\/\\x1b\[2Jcleared-screen/);
  t.regex(text, /invoice\\u202efdp\.exe/);
  t.regex(text, /bell\\x07and\\x9bcsi/);
});

test('the JSON dialect: a pool keyed __proto__ with a device named constructor of class "constructor"', (t) => {
  const { first } = twice(fixture('zpool-status/hostile-names-proto-constructor-controls.json'));
  const [proto, ctor] = first.pools;
  t.is(proto?.status.name, '__proto__');
  t.deepEqual(proto?.status.devices.map((d) => [d.name, d.group, d.cksum, d.note]), [['__proto__', 'data', 0, null], ['constructor', 'data', 5, 'tostring']]);
  t.is(ctor?.status.data_errors, 2);
  const json = JSON.parse(renderJson(first)) as { pools: { name: string; error_files: string[] }[] };
  t.deepEqual(json.pools[1]?.error_files, ['constructor/fs:/a\u001b]0;title\u0007', 'constructor/fs:/b\u202e'], 'JSON carries the names exactly');
});

/** A `zpool status` text of one pool whose devices have the given names. */
function statusText(pool: string, devices: readonly string[]): string {
  const rows = [pool, ...devices].map((d, i) => `\t${i === 0 ? '' : '  '}${d}  ONLINE  0  0  ${i}`);
  return `  pool: ${pool}\n state: ONLINE\n  scan: none requested\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n${rows.join('\n')}\n\nerrors: No known data errors\n`;
}

const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '-f', '--help', 'logs', 'NAME'];

test('any pool and device names survive parse, assess, memory and every renderer', (t) => {
  const word = fc.oneof(fc.constantFrom(...HOSTILE), fc.stringMatching(/^[^\s:]{1,12}$/));
  holds(
    t,
    // A device named as its pool would share its remembered counters: names are distinct here.
    fc.property(fc.uniqueArray(word, { minLength: 2, maxLength: 6 }), ([pool = '', ...devices]) => {
      const { first, memory, second } = twice(statusText(pool, devices));
      const [p] = first.pools;
      const text = renderText(second, NOW);
      return (
        p?.status.name === pool &&
        JSON.stringify(p.status.devices.map((d) => d.name)) === JSON.stringify([pool, ...devices]) &&
        memory.get(pool)?.devices.size === devices.length + 1 &&
        second.pools[0]?.changes.length === 0 &&
        text.includes(`${printable(pool)}: ONLINE`) &&
        JSON.parse(renderJson(second)).pools[0].name === pool
      );
    }),
  );
});

test('the JSON dialect takes any string as a pool or device name', (t) => {
  holds(
    t,
    fc.property(fc.uniqueArray(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), ([pool = '', ...devices]) => {
      const leaves = Object.fromEntries(devices.map((d) => [d, { name: d, vdev_type: 'file', state: 'ONLINE', read_errors: 0, write_errors: 0, checksum_errors: 1 }]));
      const root = { name: pool, vdev_type: 'root', state: 'ONLINE', read_errors: 0, write_errors: 0, checksum_errors: 0, vdevs: leaves };
      const doc = JSON.stringify({ pools: Object.fromEntries([[pool, { name: pool, state: 'ONLINE', error_count: 0, vdevs: Object.fromEntries([[pool, root]]) }]]) });
      const { first, memory, second } = twice(doc);
      return (
        first.pools[0]?.status.name === pool &&
        first.pools[0].status.devices.length === devices.length + 1 &&
        memory.get(pool)?.devices.size === devices.length + 1 &&
        second.pools[0]?.changes.length === 0 &&
        !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(renderText(second, NOW) + renderNagios(second, NOW))
      );
    }),
  );
});

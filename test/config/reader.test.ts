/** TableReader: typed getters with defaults; every unknown key and wrong type is a problem, all of them at once. */
import test from 'ava';
import type { Problem } from '../../src/config/problems.js';
import { TableReader } from '../../src/config/reader.js';
import { LENGTH } from '../../src/util/duration.js';
import { refused } from '../helpers/config.js';

test('keys named like Object.prototype members are unknown keys, not inherited values', async (t) => {
  await refused(t, '[[job]]\nname = "a"\ndataset = "tank/a"\nconstructor = 1\n', 'job "a".constructor', /unknown key/);
  await refused(t, '[zbk]\n__proto__ = { snapshot_prefix = "x" }\n', 'zbk.__proto__', /unknown key/);
});

const reader = (table: Record<string, unknown>, known: readonly string[]) => {
  const problems: Problem[] = [];
  return { r: new TableReader(table, ['t'], problems, known), problems };
};

test('every unknown key is a problem, listing the known ones; a key with a control character is quoted', (t) => {
  const { problems } = reader({ a: 1, b: 2, 'c\u0000': 3 }, ['a']);
  t.deepEqual(problems, [
    { path: ['t', 'b'], message: 'unknown key (known here: a)' },
    { path: ['t', '"c\\u0000"'], message: 'unknown key (known here: a)' },
  ]);
});

test('typed getters: the default when absent; a problem and the default when the type is wrong', (t) => {
  const { r, problems } = reader({ s: 3, n: 'x', list: ['a', 1], d: 'soon', sub: [] }, ['s', 'n', 'list', 'd', 'sub']);
  t.is(r.string('s', 'dflt'), 'dflt');
  t.is(r.string('absent', 'dflt'), 'dflt');
  t.is(r.integer('n', 5, 0, 10), 5);
  t.deepEqual(r.strings('list', ['z']), ['z']);
  t.deepEqual(r.duration('d', '1d', LENGTH), r.duration('absent', '1d', LENGTH), 'a bad duration: the default');
  t.deepEqual(r.subtable('sub', []).table, {});
  t.deepEqual(problems.map((p) => `${p.path.join('.')}: ${p.message}`), [
    't.s: must be a string, not a number (3)',
    't.n: must be a whole number, not a string ("x")',
    't.list: must be an array of strings, not an array',
    't.d: "soon" is not a duration (a number and a unit, e.g. 36h, 2d, 1w, 6m, 1y, 10min, 90s; m is months here; minutes are min)',
    't.sub: must be a table, not an array',
  ]);
});

test('integers: bigints as numbers, bounds inclusive; optionalString: empty is none', (t) => {
  const { r, problems } = reader({ big: 7n, low: 0, high: 11, empty: ' ', hook: 'dump' }, ['big', 'low', 'high', 'empty', 'hook']);
  t.is(r.integer('big', 1, 0, 10), 7);
  t.is(r.integer('low', 1, 0, 10), 0);
  t.is(r.integer('high', 1, 0, 10), 1);
  t.is(r.optionalInteger('absent', 0, 10), undefined);
  t.is(r.optionalString('empty'), null);
  t.is(r.optionalString('hook'), 'dump');
  t.deepEqual(problems, [{ path: ['t', 'high'], message: 'must be between 0 and 10, not 11' }]);
});

test('tables: each entry of [[key]] read in file order, its problems after the ones of the entry before; a non-table entry or a non-array is a problem', (t) => {
  const { r, problems } = reader({ job: [{ name: 'a', x: 1 }, 7, { name: 'b' }], target: { name: 'c' } }, ['job', 'target']);
  const seen: string[] = [];
  for (const { reader: entry, index } of r.tables('job', ['name'])) {
    seen.push(`${index}:${entry.string('name', '')}`);
    entry.problem('name', `read ${index}`);
  }
  t.deepEqual(seen, ['0:a', '2:b']);
  t.deepEqual([...r.tables('target', ['name'])], []);
  t.deepEqual([...r.tables('missing', [])], []);
  t.deepEqual(problems, [
    { path: ['t', 'job', 0, 'x'], message: 'unknown key (known here: name)' },
    { path: ['t', 'job', 0, 'name'], message: 'read 0' },
    { path: ['t', 'job', 1], message: 'must be a table ([[job]])' },
    { path: ['t', 'job', 2, 'name'], message: 'read 2' },
    { path: ['t', 'target'], message: 'must be an array of tables ([[target]])' },
  ]);
});

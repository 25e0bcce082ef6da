import test from 'ava';
import { detectFormat, parse } from '../../src/health/parse.js';
import { fixture } from '../helpers/fixtures.js';

test('JSON is told from text by its first character', (t) => {
  const read = (input: string) => parse(input, detectFormat(input), 'UTC');
  t.is(read(fixture('zpool-status/openzfs-2.3-json-int-nested-groups-healed-checksum.json')).pools[0]?.capacity, 41);
  t.is(read(fixture('zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt')).pools[0]?.name, 'zbkh_m');
});

test('leading whitespace and a byte order mark do not hide JSON', (t) => {
  const input = '\uFEFF\n  {"pools": {}}';
  t.deepEqual(parse(input, detectFormat(input), 'UTC').notes, ['no pools available']);
});

test('the caller says which form it asked for: nothing is guessed from the content', (t) => {
  t.deepEqual(parse('{"pools": {}}', 'json', 'UTC').notes, ['no pools available']);
  t.deepEqual(parse('{"pools": {}}', 'text', 'UTC').unknown_lines, ['{"pools": {}}']);
  t.is(detectFormat('  pool: tank\n state: ONLINE\n'), 'text');
});

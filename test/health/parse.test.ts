import test from 'ava';
import { parse } from '../../src/health/parse.js';
import { fixture } from '../helpers/fixtures.js';

test('JSON is told from text by its first character', (t) => {
  t.is(parse(fixture('zpool-status/openzfs-2.3-json-int-nested-groups-healed-checksum.json'), 'UTC').pools[0]?.capacity, 41);
  t.is(parse(fixture('zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt'), 'UTC').pools[0]?.name, 'zbkh_m');
});

test('leading whitespace and a byte order mark do not hide JSON', (t) => {
  t.deepEqual(parse('\uFEFF\n  {"pools": {}}', 'UTC').notes, ['no pools available']);
});

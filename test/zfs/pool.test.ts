import test from 'ava';
import { parsePoolList } from '../../src/zfs/pool.js';

test('zpool list -H -o name,capacity,health', (t) => {
  t.deepEqual(parsePoolList('tank\t81%\tONLINE\nbackup\t-\tFAULTED\n'), [
    { name: 'tank', capacity: 81, health: 'ONLINE' },
    { name: 'backup', capacity: null, health: 'FAULTED' },
  ]);
});

/** `zfs list -H -t filesystem -o name,mounted,mountpoint` rows, and the argv zbk builds for zfs set. */
import test from 'ava';
import { parseFilesystems, setPropertyArgs } from '../../src/zfs/datasets.js';

test('filesystems: name, mounted, and the mountpoint last, whatever it holds', (t) => {
  const text = 'tank\tyes\t/tank\ntank/backup/web\tyes\t/tank/backup/web\ntank/vm\tno\tnone\ntank/odd\tyes\t/tank/a\tb c\n\n';
  t.deepEqual(parseFilesystems(text), [
    { name: 'tank', mounted: true, mountpoint: '/tank' },
    { name: 'tank/backup/web', mounted: true, mountpoint: '/tank/backup/web' },
    { name: 'tank/vm', mounted: false, mountpoint: 'none' },
    { name: 'tank/odd', mounted: true, mountpoint: '/tank/a\tb c' },
  ]);
  t.deepEqual(parseFilesystems('garbage\n'), [], 'a line without columns is skipped');
});

test('zfs set takes one property=value word and the dataset', (t) => {
  t.deepEqual(setPropertyArgs('tank/web', 'zbk:job', 'web'), ['set', 'zbk:job=web', 'tank/web']);
});

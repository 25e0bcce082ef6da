import test from 'ava';
import type { Dialect } from '../../src/zfs/probe.js';
import { numericProperty, parsePropertyRows, snapshotPropertyArgs, snapshotRows, userProperty } from '../../src/zfs/properties.js';

test('rows group by dataset; values may hold tabs and spaces', (t) => {
  const rows = parsePropertyRows('tank/a\tused\t4096\ntank/a\tzbk:note\ta b\tc\ntank/b\tused\t-\n\n');
  t.deepEqual([...rows.keys()], ['tank/a', 'tank/b']);
  t.is(numericProperty(rows.get('tank/a'), 'used'), 4096);
  t.is(userProperty(rows.get('tank/a'), 'zbk:note'), 'a b\tc');
  t.is(numericProperty(rows.get('tank/b'), 'used'), null);
  t.is(userProperty(rows.get('tank/b'), 'zbk:note'), null);
  t.is(numericProperty(undefined, 'used'), null);
});

test('lines without three fields are passed over', (t) => {
  t.is(parsePropertyRows('garbage\nalso\tgarbage\n').size, 0);
});

test('snapshotPropertyArgs: -t snapshot where zfs get has it; zfs-fuse\'s rows of children are left out by snapshotRows instead', (t) => {
  t.deepEqual(snapshotPropertyArgs('tank/a', { modern: true } as Dialect, 'guid,creation'), ['get', '-H', '-p', '-d', '1', '-t', 'snapshot', '-o', 'name,property,value', 'guid,creation', 'tank/a']);
  t.deepEqual(snapshotPropertyArgs('tank/a', { modern: false } as Dialect, 'guid'), ['get', '-H', '-p', '-d', '1', '-o', 'name,property,value', 'guid', 'tank/a']);
  const rows = parsePropertyRows('tank/a@s1\tguid\t1\ntank/a/child@s1\tguid\t2\ntank/a\tguid\t3\n');
  t.deepEqual(snapshotRows(rows, 'tank/a'), [['s1', new Map([['guid', '1']])]]);
});

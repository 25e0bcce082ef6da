import test from 'ava';
import { numericProperty, parsePropertyRows, userProperty } from '../../src/zfs/properties.js';

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

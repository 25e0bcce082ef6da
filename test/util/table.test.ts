/** formatTable: columns two spaces apart, the last one not padded. */
import test from 'ava';
import { formatTable } from '../../src/util/table.js';

test('columns padded to their widest cell; no trailing blanks', (t) => {
  t.is(formatTable([['DATASET', 'SNAPSHOTS', 'USED'], ['tank/web', '12', '1.2G'], ['tank/mail-long', '3', '0']]),
    'DATASET         SNAPSHOTS  USED\ntank/web        12         1.2G\ntank/mail-long  3          0');
});

test('right-aligned columns are padded on the left, the last one too', (t) => {
  t.is(formatTable([['NAME', 'USED'], ['a', '1.2G'], ['bb', '10K']], new Set([1])), 'NAME  USED\na     1.2G\nbb     10K');
});

test('no rows: nothing; rows of other lengths keep their cells', (t) => {
  t.is(formatTable([]), '');
  t.is(formatTable([['a', 'b', 'c'], ['dd']]), 'a   b  c\ndd');
});

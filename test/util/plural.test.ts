/** Counts read as English: never "(1 jobs)". */
import test from 'ava';
import { counted, plural } from '../../src/util/plural.js';

test('one is singular; zero and many are plural; irregular plurals are given', (t) => {
  t.is(counted(1, 'job'), '1 job');
  t.is(counted(0, 'job'), '0 jobs');
  t.is(counted(2, 'job'), '2 jobs');
  t.is(counted(1, 'retention policy', 'retention policies'), '1 retention policy');
  t.is(counted(3, 'retention policy', 'retention policies'), '3 retention policies');
  t.is(plural(1, 'file'), 'file');
  t.is(plural(1204, 'file'), 'files');
});

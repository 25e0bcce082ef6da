import test from 'ava';
import fc from 'fast-check';
import { datasetNameProblem, poolNameProblem } from '../../src/zfs/names.js';

test('pool/path names of the usual characters pass', (t) => {
  for (const name of ['tank', 'tank/backup/usa-vds', 'zbkt_1_2/a.b:c-d_e', 'Tank0/0']) t.is(datasetNameProblem(name), null, name);
});

test('names that could be an option, climb out, or name a snapshot are refused, each saying why', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['-o', /start with a letter or digit/],
    ['--dry-run', /start with a letter or digit/],
    ['/tank/a', /start with a letter or digit/],
    ['.hidden', /start with a letter or digit/],
    ['tank/..', /"\.\." component/],
    ['tank/../other', /"\.\." component/],
    ['tank/./a', /"\." component/],
    ['tank//a', /empty component/],
    ['tank/a/', /empty component/],
    ['tank/a@snap', /no @ or #/],
    ['tank/a#mark', /no @ or #/],
    ['tank/a b', /not a ZFS file system name/],
    ['tank/a\nb', /not a ZFS file system name/],
    ['tank/a\0b', /not a ZFS file system name/],
    [`tank/${'a'.repeat(300)}`, /longer than ZFS allows/],
  ];
  for (const [name, why] of cases) t.regex(datasetNameProblem(name) ?? 'accepted', why, JSON.stringify(name));
});

test('no accepted name starts with "-" or holds a component "..", "@", "#", a space or a control character', (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (name) => {
      if (datasetNameProblem(name) !== null) return true;
      return !name.startsWith('-') && !name.split('/').includes('..') && !/[@#\s\p{Cc}]/u.test(name);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('pool names as zfs_namecheck takes them: a letter first, then letters, digits, _ - . : and space', (t) => {
  for (const ok of ['tank', 'constructor', 'toString', 'zbkt_1_2', 'a.b:c-d e', 'T'.repeat(255)]) t.is(poolNameProblem(ok), null, ok);
  t.regex(poolNameProblem('-f') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('--help') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('__proto__') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('') ?? '', /empty/);
  t.regex(poolNameProblem('tank/fs') ?? '', /only letters/);
  t.regex(poolNameProblem('tank\x1b[2J') ?? '', /only letters/);
  t.regex(poolNameProblem('T'.repeat(256)) ?? '', /shorter than 256/);
});

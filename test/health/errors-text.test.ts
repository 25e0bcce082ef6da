import test from 'ava';
import { parseErrorsSections } from '../../src/health/errors-text.js';
import { MAX_ERROR_FILES } from '../../src/health/model.js';

test('no known data errors is zero', (t) => {
  t.deepEqual(parseErrorsSections([['No known data errors']]), { data_errors: 0, error_files: [], permanent_errors: false, unknown: [], after: [] });
});

test('a count without -v', (t) => {
  t.is(parseErrorsSections([["81 data errors, use '-v' for a list"]]).data_errors, 81);
  t.is(parseErrorsSections([["1 data error, use '-v' for a list"]]).data_errors, 1);
});

test('a -v list: entries with colons and spaces kept whole, counted', (t) => {
  const reading = parseErrorsSections([
    [
      'Permanent errors have been detected in the following files:',
      '',
      '        <metadata>:<0x0>',
      '        send/test@syncoid_orion_2025-04-10:15:18:24-GMT-05:00:<0x0>',
      '        /tank/home/My Documents/report.odt',
      '',
    ],
  ]);
  t.deepEqual(reading, {
    data_errors: 3,
    error_files: ['<metadata>:<0x0>', 'send/test@syncoid_orion_2025-04-10:15:18:24-GMT-05:00:<0x0>', '/tank/home/My Documents/report.odt'],
    permanent_errors: true,
    unknown: [],
    after: [],
  });
});

test('the list header with nothing under it: errors exist, their number is unknown', (t) => {
  t.deepEqual(parseErrorsSections([['Permanent errors have been detected in the following files:', '']]), {
    data_errors: null,
    error_files: [],
    permanent_errors: true,
    unknown: [],
    after: [],
  });
});

test('the first Solaris releases: a DATASET OBJECT RANGE table', (t) => {
  const reading = parseErrorsSections([['The following persistent errors have been detected:', '', '          DATASET  OBJECT  RANGE', '          5        0       lvl=4294967295 blkid=0']]);
  t.like(reading, { data_errors: 1, permanent_errors: true, error_files: ['5        0       lvl=4294967295 blkid=0'] });
});

test('an unavailable list says nothing, a count after it does', (t) => {
  t.is(parseErrorsSections([['List of errors unavailable (insufficient privileges)']]).data_errors, null);
  t.is(parseErrorsSections([['List of errors unavailable: permission denied'], ["4 data errors, use '-v' for a list"]]).data_errors, 4);
});

test('no errors line at all: unknown', (t) => {
  t.is(parseErrorsSections([]).data_errors, null);
});

test('other text is not understood', (t) => {
  t.deepEqual(parseErrorsSections([['Something else entirely', '  and more']]).unknown, ['Something else entirely', 'and more']);
});

test('a list of a million damaged files is counted in full and kept to its first MAX_ERROR_FILES', (t) => {
  const files = Array.from({ length: 1_000_000 }, (_, i) => `        tank/fs:/f${i}`);
  const reading = parseErrorsSections([['Permanent errors have been detected in the following files:', '', ...files, '']]);
  t.is(reading.data_errors, 1_000_000);
  t.is(reading.error_files.length, MAX_ERROR_FILES);
  t.is(reading.error_files[0], 'tank/fs:/f0');
  t.true(reading.permanent_errors);
});

test('a million lines under a section are all kept, without a stack overflow', (t) => {
  const lines = Array.from({ length: 1_000_000 }, () => 'wibble');
  t.is(parseErrorsSections([['Something else', ...lines]]).unknown.length, 1_000_001);
  t.is(parseErrorsSections([['No known data errors', ...lines]]).after.length, 1_000_000);
});

test('lines after a head that takes no list are no part of the section (a shell prompt after a paste)', (t) => {
  t.like(parseErrorsSections([['No known data errors', 'root@pve:~# ']]), { data_errors: 0, unknown: [], after: ['root@pve:~#'] });
  t.like(parseErrorsSections([["4 data errors, use '-v' for a list", '$']]), { data_errors: 4, unknown: [], after: ['$'] });
});

test('a count with a locale\'s thousands marks is read; one that is no count is not understood', (t) => {
  t.is(parseErrorsSections([["1,234 data errors, use '-v' for a list"]]).data_errors, 1234);
  t.is(parseErrorsSections([["1.234.567 data errors, use '-v' for a list"]]).data_errors, 1_234_567);
  t.deepEqual(parseErrorsSections([["1,2 data errors, use '-v' for a list"]]), { data_errors: null, error_files: [], permanent_errors: false, unknown: ["1,2 data errors, use '-v' for a list"], after: [] });
});

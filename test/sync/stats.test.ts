import test from 'ava';
import { parseRsyncStats } from '../../src/sync/stats.js';
import { fixture } from '../helpers/fixtures.js';

const none = { total: 0, reg: 0, dir: 0, link: 0, dev: 0, special: 0 };

test('a first pull: every count, with its breakdown by kind of file', (t) => {
  t.deepEqual(parseRsyncStats(fixture('rsync/stats-first-pull.stdout')), {
    files: { total: 9, reg: 3, dir: 4, link: 1, dev: 0, special: 1 },
    created: { total: 8, reg: 3, dir: 3, link: 1, dev: 0, special: 1 },
    deleted: none,
    transferred: 2,
    totalFileSize: 8_388_641,
    transferredFileSize: 8_388_621,
    literalData: 8_388_621,
    matchedData: 0,
    bytesSent: 8_391_011,
    bytesReceived: 102,
    bytesPerSecond: 16_782_226,
    speedup: 1,
  });
});

test('one changed block in a de_DE locale, after progress lines: dots for thousands, commas for decimals', (t) => {
  const stats = parseRsyncStats(fixture('rsync/stats-progress2-de.stdout'));
  t.like(stats, {
    created: none,
    transferred: 1,
    totalFileSize: 8_388_641,
    literalData: 2896,
    matchedData: 8_385_712,
    bytesSent: 14_761,
    bytesReceived: 17_427,
    bytesPerSecond: 64_376,
    speedup: 260.61,
  });
});

test('with -h in the job\'s rsync_args: numbers in units of 1000', (t) => {
  t.like(parseRsyncStats(fixture('rsync/stats-human-readable.stdout')), {
    totalFileSize: 8_390_000,
    literalData: 18,
    bytesSent: 311,
    speedup: 23_173.07,
  });
});

test('the stats after 1,800 lines of progress', (t) => {
  t.like(parseRsyncStats(fixture('rsync/progress2-ir-chk.stdout')), {
    files: { total: 1831, reg: 900, dir: 931, link: 0, dev: 0, special: 0 },
    transferred: 900,
  });
});

test('the last block counts when output holds more than one', (t) => {
  const first = fixture('rsync/stats-first-pull.stdout');
  const second = fixture('rsync/stats-human-readable.stdout');
  t.is(parseRsyncStats(`${first}${second}`)?.literalData, 18);
});

test('no stats, or an incomplete block, is null', (t) => {
  const full = fixture('rsync/stats-first-pull.stdout');
  t.is(parseRsyncStats(''), null);
  t.is(parseRsyncStats(fixture('rsync/missing-source.stderr')), null);
  t.is(parseRsyncStats(full.replace(/^Literal data:.*$/m, '')), null, 'a line missing');
  t.is(parseRsyncStats(full.replace('Total bytes sent: 8,391,011', 'Total bytes sent: lots')), null, 'a number unreadable');
  t.is(parseRsyncStats(full.replace('(reg: 3, dir: 4,', '(reg: 3, blocks: 4,')), null, 'a kind of file unknown');
});

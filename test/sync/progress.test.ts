import test, { type ExecutionContext } from 'ava';
import { formatClock, formatProgress, formatSummary, parseProgressLine, type Progress } from '../../src/sync/progress.js';
import { parseRsyncStats, type RsyncStats } from '../../src/sync/stats.js';
import { fixture } from '../helpers/fixtures.js';

/** The progress lines of a captured run, checking that none was left unread. */
function progressLines(t: ExecutionContext, name: string): Progress[] {
  const lines = fixture(`rsync/${name}`).split(/[\r\n]/).filter((line) => line.includes('B/s '));
  const parsed = lines.map(parseProgressLine).filter((p): p is Progress => p !== null);
  t.is(parsed.length, lines.length, `every progress line of ${name} is read`);
  return parsed;
}

test('a line while a file is in flight: no file counts, the time is what is left', (t) => {
  t.deepEqual(parseProgressLine('      1,234,567  45%   12.34MB/s    0:00:05  '), {
    bytes: 1_234_567, percent: 45, bytesPerSecond: Math.round(12.34 * 1024 ** 2), seconds: 5, files: null,
  });
});

test('a line that closes a file: transfers so far and files left to check', (t) => {
  t.deepEqual(parseProgressLine('  8.388.608  99%  666,44MB/s    1:02:03 (xfr#1, to-chk=2/9)'), {
    bytes: 8_388_608, percent: 99, bytesPerSecond: Math.round(666.44 * 1024 ** 2), seconds: 3723,
    files: { transferred: 1, toCheck: 2, total: 9, listComplete: true },
  });
  t.deepEqual(parseProgressLine('   0   0%    0.00kB/s    0:00:00 (xfr#0, ir-chk=1020/1081)')?.files, {
    transferred: 0, toCheck: 1020, total: 1081, listComplete: false,
  });
});

test('an unknown time, and rates in kB/s and GB/s (powers of 1024)', (t) => {
  t.like(parseProgressLine('  100  10%  512.00kB/s  ??:??:??'), { seconds: null, bytesPerSecond: 512 * 1024 });
  t.like(parseProgressLine('  100 100%    2,60GB/s    0:00:00'), { bytesPerSecond: Math.round(2.6 * 1024 ** 3) });
  t.like(parseProgressLine('  7.36K  10%    1.00kB/s    0:00:01'), { bytes: 7360 }, 'with -h');
});

test('other lines are not progress', (t) => {
  for (const line of ['', 'Number of files: 9', 'sent 311 bytes  received 51 bytes  724.00 bytes/sec', 'etc/rc.conf', '  100  10%  1.00TB/s  0:00:01']) {
    t.is(parseProgressLine(line), null, line);
  }
});

test('every progress line of a real run is read, in both locales', (t) => {
  const irChk = progressLines(t, 'progress2-ir-chk.stdout');
  t.true(irChk.some((p) => p.files?.listComplete === false));
  t.deepEqual(irChk.at(-1)?.files, { transferred: 900, toCheck: 0, total: 1831, listComplete: true });
  t.deepEqual(progressLines(t, 'stats-progress2-de.stdout').map((p) => p.bytes), [0, 2896, 8_388_608, 8_388_608, 8_388_608, 8_388_608]);
});

test('the terminal line', (t) => {
  t.is(formatProgress(parseProgressLine('1,234,567  45%   12.34MB/s    0:00:05')!), ' 45% 1.18M 12.3M/s, 0:00:05 left');
  t.is(formatProgress(parseProgressLine('2,000,000,000 100%  1.00GB/s  1:02:03 (xfr#1, to-chk=0/9)')!), '100% 1.86G 1G/s, 1:02:03 so far, 1 file, 0 of 9 to check');
  t.is(formatProgress(parseProgressLine('512   3%  0.00kB/s  ??:??:?? (xfr#2, ir-chk=10/100)')!), '  3% 512B 0B/s, 2 files, 10 of 100+ to check');
});

const stats = (overrides: Partial<RsyncStats>): RsyncStats => ({ ...parseRsyncStats(fixture('rsync/stats-first-pull.stdout'))!, ...overrides });

test('the summary line of a pull', (t) => {
  t.is(
    formatSummary('usa-vds', stats({ files: { total: 1204, reg: 1000, dir: 204, link: 0, dev: 0, special: 0 }, transferred: 3, bytesSent: 12_390, bytesReceived: 5_033_165, speedup: 612.34 }), 72_400),
    'usa-vds: 1,204 files, 3 changed, sent 12.1K received 4.8M, speedup 612.3, 0:01:12',
  );
  t.is(formatSummary('www', stats({ bytesSent: 1023, bytesReceived: 1_048_575 }), 0), 'www: 9 files, 2 changed, sent 1023B received 1M, speedup 1.0, 0:00:00');
});

test('clock times are H:MM:SS, hours unbounded', (t) => {
  t.is(formatClock(0), '0:00:00');
  t.is(formatClock(59.9), '0:00:59');
  t.is(formatClock(3600 * 30 + 61), '30:01:01');
});

import test from 'ava';
import { NO_SCAN } from '../../src/health/model.js';
import { parseScanText } from '../../src/health/scan-text.js';

const read = (...lines: string[]) => parseScanText(lines, 'UTC');

test('OpenZFS 2.x: a finished scrub', (t) => {
  t.deepEqual(read('scrub repaired 1.69M in 00:00:49 with 0 errors on Thu Nov 26 23:48:49 2026'), {
    scan: { ...NO_SCAN, function: 'scrub', state: 'finished', repaired_bytes: 1_772_093, errors: 0, end_time: '2026-11-26T23:48:49Z' },
    unknown: [],
  });
});

test('ZoL 0.6–0.8 and FreeBSD legacy: sizes without B, durations as 0h5m or 0 days 00:21:06', (t) => {
  t.is(read('scrub repaired 0 in 0h5m with 0 errors on Sun Nov 22 02:05:01 2026').scan.repaired_bytes, 0);
  t.is(read('scrub repaired 12K in 0 days 02:41:09 with 3 errors on Sun Nov 22 05:41:10 2026').scan.errors, 3);
});

test('a finished resilver, and a dRAID sequential rebuild naming its vdev', (t) => {
  t.like(read('resilvered 5.65T in 3 days 19:15:21 with 0 errors on Fri Jul 21 11:43:09 2023').scan, {
    function: 'resilver',
    state: 'finished',
    repaired_bytes: 6_212_240_696_934,
  });
  t.like(read('resilvered (draid1:8d:12c:2s-0) 273M in 00:00:34 with 0 errors on Wed Jul  7 21:38:06 2021').scan, {
    function: 'resilver',
    vdev: 'draid1:8d:12c:2s-0',
    end_time: '2021-07-07T21:38:06Z',
  });
});

test('a running scrub: start, progress, amount so far, time to go', (t) => {
  const { scan, unknown } = read(
    'scrub in progress since Sun Jul 16 23:21:45 2023',
    '\t6.99T scanned at 1.20G/s, 6.68T issued at 0B/s, 32.1T total',
    '\t0B repaired, 20.80% done, 35 days 15:39:43 to go',
  );
  t.deepEqual(unknown, []);
  t.deepEqual(scan, {
    ...NO_SCAN,
    function: 'scrub',
    state: 'in_progress',
    start_time: '2023-07-16T23:21:45Z',
    repaired_bytes: 0,
    progress: 20.8,
    eta: '35 days 15:39:43',
  });
});

test('a running resilver in the 2.2 "x / y scanned" form, without an estimate', (t) => {
  const { scan, unknown } = read(
    'resilver in progress since Thu Nov 26 21:05:17 2026',
    '812G / 1.40T scanned at 301M/s, 770G / 1.40T issued at 285M/s',
    '768G resilvered, 53.71% done, no estimated completion time',
  );
  t.deepEqual(unknown, []);
  t.like(scan, { function: 'resilver', state: 'in_progress', progress: 53.71 });
  t.false('eta' in scan);
});

test('the pre-0.8 progress lines', (t) => {
  const { scan, unknown } = read(
    'resilver in progress since Wed Nov 29 11:53:46 2023',
    '14.2T scanned out of 37.5T at 775M/s, 8h45m to go',
    '2.24T resilvered, 37.87% done',
  );
  t.deepEqual(unknown, []);
  t.like(scan, { function: 'resilver', state: 'in_progress', repaired_bytes: 2_462_906_046_218, progress: 37.87, eta: '8h45m' });
});

test('a paused scrub takes its start from the "scrub started on" line', (t) => {
  const { scan, unknown } = read(
    'scrub paused since Fri Nov 27 01:12:40 2026',
    'scrub started on Thu Nov 26 21:05:17 2026',
    '1.21T / 3.40T scanned, 1.02T / 3.40T issued',
    '0B repaired, 30.00% done',
  );
  t.deepEqual(unknown, []);
  t.like(scan, { function: 'scrub', state: 'paused', start_time: '2026-11-26T21:05:17Z', progress: 30 });
});

test('canceled scans end at the cancel date', (t) => {
  t.like(read('scrub canceled on Thu Nov 20 09:58:48 2014').scan, { state: 'canceled', end_time: '2014-11-20T09:58:48Z' });
  t.like(read('resilver (draid2:5d:24c:2s-0) canceled on Thu Nov 20 09:58:48 2014').scan, { function: 'resilver', vdev: 'draid2:5d:24c:2s-0' });
});

test('Solaris and zfs-fuse: completed, stopped, in progress for, none requested', (t) => {
  t.like(read('scrub completed after 0h0m with 0 errors on Fri Nov 27 03:28:18 2026').scan, {
    function: 'scrub',
    state: 'finished',
    repaired_bytes: null,
    errors: 0,
    end_time: '2026-11-27T03:28:18Z',
  });
  t.like(read('resilver completed after 0h2m with 0 errors on Thu Nov 26 10:15:02 2026').scan, { function: 'resilver', state: 'finished' });
  t.like(read('scrub stopped after 0h4m with 0 errors on Thu Nov 26 09:12:44 2026').scan, { state: 'canceled', errors: null });
  t.like(read('scrub in progress for 0h1m, 12.34% done, 0h8m to go').scan, { state: 'in_progress', progress: 12.34, eta: '0h8m' });
  t.deepEqual(read('none requested'), { scan: NO_SCAN, unknown: [] });
});

test('a line not understood is kept, and the scan is none', (t) => {
  t.deepEqual(read('error scrub repaired 0B in 00:00:01 on Thu Nov 26 10:00:00 2026'), {
    scan: NO_SCAN,
    unknown: ['error scrub repaired 0B in 00:00:01 on Thu Nov 26 10:00:00 2026'],
  });
});

test('a continuation not understood is kept without losing the scan', (t) => {
  const { scan, unknown } = read('scrub in progress since Thu Nov 26 21:05:17 2026', 'something new in OpenZFS 9');
  t.is(scan.state, 'in_progress');
  t.deepEqual(unknown, ['something new in OpenZFS 9']);
});

test('a date that cannot be read makes the line not understood', (t) => {
  t.deepEqual(read('scrub repaired 0B in 00:00:49 with 0 errors on 26/11/2026').unknown, ['scrub repaired 0B in 00:00:49 with 0 errors on 26/11/2026']);
});

test('the scan warning about checkpointed blocks is understood', (t) => {
  t.deepEqual(read('scrub repaired 0B in 00:00:49 with 0 errors on Thu Nov 26 23:48:49 2026', 'scan warning: skipped blocks that are only referenced by the checkpoint.').unknown, []);
});

test('Solaris 10 6/06: completed and stopped without "after"', (t) => {
  t.like(read('scrub completed with 0 errors on Tue May 30 10:11:12 2006').scan, { function: 'scrub', state: 'finished', errors: 0, end_time: '2006-05-30T10:11:12Z' });
  t.like(read('resilver completed with 2 errors on Tue May 30 10:11:12 2006').scan, { function: 'resilver', state: 'finished', errors: 2 });
  t.like(read('scrub stopped with 0 errors on Tue May 30 10:11:12 2006').scan, { function: 'scrub', state: 'canceled' });
  t.like(read('resilver in progress, 3.27% done, 0h6m to go').scan, { function: 'resilver', state: 'in_progress', progress: 3.27, eta: '0h6m' });
});

test('a decimal comma and thousands marks in scan lines', (t) => {
  const { scan, unknown } = read(
    'scrub in progress since Mon Nov 30 22:00:01 2026',
    '\t1,20T / 3,50T scanned at 120M/s, 1,10T / 3,50T issued at 110M/s',
    '\t12,5M repaired, 31,43% done, 06:21:40 to go',
  );
  t.deepEqual(unknown, []);
  t.like(scan, { progress: 31.43, repaired_bytes: 13_107_200 });
  t.is(read('scrub repaired 1,69M in 00:00:49 with 1,234 errors on Thu Nov 26 23:48:49 2026').scan.errors, 1234);
  t.like(read('scrub in progress for 0h1m, 12,34% done, 0h8m to go').scan, { progress: 12.34 });
});

test('ZoL 0.7 paused, illumos slow scans, OpenZFS 2.0 rebuild rates', (t) => {
  t.deepEqual(read('scrub paused since Fri Nov 27 01:12:40 2026', '\tscrub started on Thu Nov 26 21:05:17 2026', '\t1.20T scanned out of 3.50T', '\t0B repaired, 34.29% done').unknown, []);
  t.deepEqual(read('resilver in progress since Fri Nov 27 01:12:40 2026', '    1.20T scanned out of 3.50T at 1M/s, (scan is slow, no estimated time)', '    1.20T resilvered, 34.29% done').unknown, []);
  const rebuild = read('resilver (draid2:5d:10c:1s-0) in progress since Fri Nov 27 01:12:40 2026', '\t12.1G scanned at 1.01G/s, 11.9G issued 1.00G/s, 44.8G total', '\t2.95G resilvered, 27.01% done, 00:00:33 to go');
  t.deepEqual(rebuild.unknown, []);
  t.like(rebuild.scan, { vdev: 'draid2:5d:10c:1s-0', progress: 27.01 });
});

test('an error scrub in every state is understood and is no scan of the pool', (t) => {
  for (const lines of [
    ['scrubbed 3 error blocks in 0 days 00:00:01 on Mon Nov 30 10:00:02 2026'],
    ['error scrub canceled on Mon Nov 30 10:00:02 2026'],
    ['error scrub in progress since Mon Nov 30 10:00:01 2026', '\t33.33% done, issued I/O for 1 error blocks'],
    ['error scrub paused since Mon Nov 30 10:00:05 2026', '\terror scrub started on Mon Nov 30 10:00:01 2026', '\t33,33% done, issued I/O for 1 error blocks'],
  ]) {
    t.deepEqual(read(...lines), { scan: NO_SCAN, unknown: [] }, lines[0]);
  }
});

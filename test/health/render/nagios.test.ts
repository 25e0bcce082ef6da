import test from 'ava';
import { renderNagios } from '../../../src/health/render/nagios.js';
import { buildReport } from '../../../src/health/report.js';
import { device, NOW, pool, scan, THRESHOLDS, withLeaf } from '../builders.js';

const report = (...pools: Parameters<typeof buildReport>[0]['pools']) => buildReport({ pools, notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW);

test('all healthy: one line naming the pools, with perfdata', (t) => {
  t.is(
    renderNagios(report(pool({ capacity: 48 })), NOW),
    "ZBK POOLS OK - 1 pool healthy: tank | 'tank_read_errors'=0c 'tank_write_errors'=0c 'tank_cksum_errors'=0c 'tank_data_errors'=0;;1;0 'tank_capacity'=48%;;;0;100 'tank_scrub_age'=612000s;;;0\n",
  );
});

test('trouble: the most severe reason of each troubled pool, the count of the others', (t) => {
  const troubled = withLeaf(device('ada1', { state: 'FAULTED', cksum: 3 }), { name: 'backup', state: 'DEGRADED', data_errors: null, scan: scan({ end_time: null, state: 'canceled' }) });
  const line = renderNagios(report(pool(), troubled), NOW);
  t.regex(line, /^ZBK POOLS CRITICAL - backup: pool is DEGRADED — run `zpool status -v backup` and follow its action line \(\+4 more\) \| /);
  t.false(line.slice(0, line.indexOf(' | ')).includes('tank'));
  t.true(line.includes("'backup_cksum_errors'=3c"));
  t.false(line.includes('backup_data_errors'));
  t.false(line.includes('backup_scrub_age'));
});

test('a pipe or a newline in a reason cannot break the line', (t) => {
  const line = renderNagios(report(pool({ data_errors: 1, error_files: ['/tank/a|b'], permanent_errors: true, unknown_lines: ['x\ny'] })), NOW);
  t.is(line.split('\n').length, 2);
  t.is(line.split('|').length, 2);
});

test('quotes in pool names are doubled in perfdata labels', (t) => {
  t.true(renderNagios(report(pool({ name: "it's" })), NOW).includes("'it''s_read_errors'=0c"));
});

test('no pool: what zpool said, or what was not understood', (t) => {
  t.is(renderNagios(buildReport({ pools: [], notes: ['no pools available'], unknown_lines: [] }, new Map(), THRESHOLDS, NOW), NOW), 'ZBK POOLS OK - no pools available\n');
  t.is(
    renderNagios(buildReport({ pools: [], notes: [], unknown_lines: ['zpool: not found'] }, new Map(), THRESHOLDS, NOW), NOW),
    'ZBK POOLS UNKNOWN - zpool status output not understood: "zpool: not found"\n',
  );
});

test('control characters and bidi overrides from outside are escaped in the line and in perfdata labels', (t) => {
  const line = renderNagios(report(pool({ name: "t\x1b[2J=a'b\u202e", data_errors: 1, error_files: ['fs:/x\x1b]0;t\x07'], permanent_errors: true })), NOW);
  t.notRegex(line, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  t.regex(line, /^ZBK POOLS CRITICAL - t\\x1b\[2J=a'b\\u202e: permanent errors in 1 file: fs:\/x\\x1b\]0;t\\x07 /);
  t.regex(line, / \| 't\\x1b\[2J_a''b\\u202e_read_errors'=0c /);
  t.is(line.split('\n').length, 2, 'one line');
});

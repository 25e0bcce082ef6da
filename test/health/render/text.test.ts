import test from 'ava';
import { parse } from '../../../src/health/parse.js';
import { renderText } from '../../../src/health/render/text.js';
import { buildReport } from '../../../src/health/report.js';
import { fixture } from '../../helpers/fixtures.js';
import { NOW, pool, THRESHOLDS } from '../builders.js';

const fromFixture = (name: string) => buildReport(parse(fixture(`zpool-status/${name}`), 'UTC'), new Map(), { ...THRESHOLDS, maxAgeMs: null }, NOW);

test('a pool with healed errors: verdict, what to do, what is new, the last scan, the device', (t) => {
  t.is(
    renderText(fromFixture('fuse-mirror-scrub-healed-checksum-errors.txt')),
    `zbk pool health: WARNING

zbkh_m: ONLINE, WARNING
  - /tmp/zbkh/d2 healed 868 checksum errors (96.3M repaired) in the scrub of 2026-11-27 — check the storage under /tmp/zbkh/d2, then run \`zpool clear zbkh_m\`
  new since the last report:
    * first report of this pool, warning
  last scan: scrub finished 2026-11-27T03:55:40Z, repaired 96.3M, 0 errors
  devices that need a look:
    NAME          STATE   READ  WRITE  CKSUM
    /tmp/zbkh/d2  ONLINE     0      0    868  96.3M repaired
`,
  );
});

test('a healthy pool is one heading and its last scan', (t) => {
  t.is(renderText(buildReport({ pools: [pool()], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW)), 'zbk pool health: OK\n\ntank: ONLINE, OK\n  last scan: scrub finished 2026-11-20T04:00:00Z, repaired 0B, 0 errors\n');
});

test('permanent errors list their files; a running resilver and the rebuilds of dRAID are shown', (t) => {
  const text = renderText(fromFixture('fuse-single-permanent-errors-snapshot-files-v.txt'));
  t.true(text.includes('  files with permanent errors:\n    zbkh_s/fs@zbk_2026-11-26T030000Z:/file1\n'));
  const json = renderText(buildReport(parse(fixture('zpool-status/openzfs-2.3-json-int-draid-rebuild-cant-open.json'), 'UTC'), new Map(), THRESHOLDS, NOW));
  t.true(json.includes('  last scan: resilver of draid1:3d:5c:1s-0 in progress since 2026-11-27T01:12:40Z, resilvered 128G\n'));
  t.true(json.includes('  capacity: 36%\n'));
});

test('no pool: what zpool said, what was not understood, or that there was nothing', (t) => {
  t.is(renderText(fromFixture('status-x-all-pools-healthy.txt')), 'zbk pool health: OK\n\nall pools are healthy\n');
  t.is(renderText(buildReport({ pools: [], notes: [], unknown_lines: ['zpool: not found'] }, new Map(), THRESHOLDS, NOW)), 'zbk pool health: UNKNOWN\n\nnot understood: zpool: not found\n');
  t.is(renderText(buildReport({ pools: [], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW)), 'zbk pool health: UNKNOWN\n\nno zpool status output to read\n');
});

/**
 * The team's own check, not part of `make test`: zbk's verdicts on real `zpool status` outputs
 * kept beside the repository (ZBK_TEAM_DIR, default ../shared), which a clone of the repository
 * does not have. `make check-team` runs it; CI runs it after `make test`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { Alert } from '../../src/health/alert.js';
import type { Thresholds } from '../../src/health/assess.js';
import { parseNiceNumber } from '../../src/health/nicenum.js';
import { detectFormat, parse } from '../../src/health/parse.js';
import { buildReport } from '../../src/health/report.js';
import { ROOT } from '../helpers/cli.js';
import { sh } from '../helpers/pool.js';
import { NOW, THRESHOLDS } from '../health/builders.js';

const TEAM = process.env.ZBK_TEAM_DIR || join(ROOT, '..', 'shared');

/*
 * The samples: real outputs published by real systems, with the verdicts a careful admin gives
 * (samples/zpool-status/expected.json). Read as `zbk scrub-report --from-file` reads them: an
 * overdue scrub is a note there (the file's age says nothing about today).
 */
const SAMPLES = join(TEAM, 'samples', 'zpool-status') + '/';
const FROM_FILE: Thresholds = { ...THRESHOLDS, overdueScrub: 'note' };

type Counter = number | string;
interface ExpectedScan {
  kind: string;
  status: string;
  repaired_bytes: number | null;
  errors: number | null;
  finished_at: string | null;
}
interface ExpectedPool {
  name: string;
  state: string;
  alert: Alert;
  scan: ExpectedScan;
  extra_scans?: ExpectedScan[];
  devices_with_errors: Array<{ name: string; read: Counter; write: Counter; cksum: Counter }>;
  data_errors: number | 'unknown';
  permanent_error_files: string[];
  permanent_errors_header_present: boolean;
}
interface Expected {
  files: Record<string, { pools: ExpectedPool[]; overall_alert: Alert }>;
}

const expectedPath = `${SAMPLES}expected.json`;
const expected: Expected | null = existsSync(expectedPath) ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected) : null;
if (expected === null) throw new Error(`${expectedPath} is missing: set ZBK_TEAM_DIR to the team's shared folder (make check-team does)`);
const count = (c: Counter) => (typeof c === 'number' ? c : parseNiceNumber(c));
const scanOf = (s: { function: string; state: string; repaired_bytes: number | null; errors: number | null; end_time: string | null }) => ({
  kind: s.function,
  status: s.state,
  repaired_bytes: s.repaired_bytes,
  errors: s.errors,
  finished: s.end_time !== null,
});
const expectedScan = (s: ExpectedScan) => ({ kind: s.kind, status: s.status, repaired_bytes: s.repaired_bytes, errors: s.errors, finished: s.finished_at !== null });

test('the samples are there to check against', (t) => {
  t.true(Object.keys(expected.files).length > 0);
});

for (const [file, want] of Object.entries(expected.files)) {
  test(`sample ${file}: states, alerts, devices with errors, scans and data errors as expected`, (t) => {
    const output = readFileSync(`${SAMPLES}${file}`, 'utf8');
    const report = buildReport(parse(output, detectFormat(output), 'UTC'), new Map(), FROM_FILE, NOW);
    t.deepEqual(report.pools.map((p) => p.status.name), want.pools.map((p) => p.name));
    t.is(report.alert, want.overall_alert);
    for (const w of want.pools) {
      const got = report.pools.find((p) => p.status.name === w.name);
      const s = got?.status;
      t.is(s?.state, w.state, w.name);
      t.is(got?.assessment.alert, w.alert, `${w.name}: ${got?.assessment.reasons.join(' / ') ?? ''}`);
      t.deepEqual(
        s?.devices.filter((d) => d.read + d.write + d.cksum > 0).map((d) => [d.name, d.read, d.write, d.cksum]),
        w.devices_with_errors.map((d) => [d.name, count(d.read), count(d.write), count(d.cksum)]),
        w.name,
      );
      t.is(s?.data_errors, w.data_errors === 'unknown' ? null : w.data_errors, w.name);
      t.deepEqual(s?.error_files, w.permanent_error_files, w.name);
      t.is(s?.permanent_errors, w.permanent_errors_header_present, w.name);
      t.deepEqual(s && scanOf(s.scan), expectedScan(w.scan), w.name);
      t.deepEqual(s?.extra_scans.map(scanOf), (w.extra_scans ?? []).map(expectedScan), w.name);
      t.deepEqual(s?.unknown_lines, [], w.name);
    }
  });
}


test('the team\'s tool: zbk scrub-report (the built CLI) gets the verdicts a careful admin gives', async (t) => {
  const tool = join(TEAM, 'tools', 'check-zpool-samples');
  const { exitCode, stdout } = await sh('bash', [tool, process.execPath, join(ROOT, 'dist', 'cli.js')]).catch((e: { exitCode: number; stdout: string }) => e);
  t.is(exitCode, 0, stdout);
  t.regex(stdout, /pools right: (\d+)\/\1; devices with errors reported: (\d+)\/\2/);
});

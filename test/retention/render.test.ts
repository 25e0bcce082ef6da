import test from 'ava';
import { formatSnapshotName } from '../../src/retention/naming.js';
import { plan, type Plan } from '../../src/retention/plan.js';
import { renderPlanJson, renderPlanText } from '../../src/retention/render.js';
import { parseDuration, type Duration } from '../../src/util/duration.js';

const at = (iso: string) => new Date(iso);

test('JSON is the shape CONTRACT.md gives, times in UTC without milliseconds', (t) => {
  const contract: Plan = {
    snapshots: [
      { name: 'zbk_2026-11-26T030000Z', time: at('2026-11-26T03:00:00Z'), action: 'keep', reasons: ['newest', 'daily 1/14', 'monthly 1/12'] },
      { name: 'zbk_2026-11-25T030000Z', time: at('2026-11-25T03:00:00.000Z'), action: 'destroy', reasons: [] },
    ],
    foreign: ['manual-before-upgrade'],
  };
  const empty: Plan = { snapshots: [], foreign: [] };
  t.is(
    renderPlanJson([{ dataset: 'tank/backup/usa-vds', plan: contract }, { dataset: 'tank/empty', plan: empty }]),
    '{"datasets":[{"dataset":"tank/backup/usa-vds","snapshots":[' +
      '{"name":"zbk_2026-11-26T030000Z","time":"2026-11-26T03:00:00Z","action":"keep","reasons":["newest","daily 1/14","monthly 1/12"]},' +
      '{"name":"zbk_2026-11-25T030000Z","time":"2026-11-25T03:00:00Z","action":"destroy","reasons":[]}],' +
      '"foreign":["manual-before-upgrade"]},' +
      '{"dataset":"tank/empty","snapshots":[],"foreign":[]}]}',
  );
});

test('text: every snapshot with KEEP or DESTROY and why, a timeline of days in the zone, the foreign ones', (t) => {
  const names = ['zbk_2026-10-30T030000Z', 'zbk_2026-10-31T220000Z', 'zbk_2026-11-01T030000Z', 'zbk_2026-11-02T030000Z', 'zbk_2026-11-25T030000Z', 'zbk_2026-11-26T030000Z'];
  const snapshots = [...names.map((name) => ({ name, held: name === 'zbk_2026-10-30T030000Z' })), { name: 'manual-before-upgrade' }];
  const policy = { keep_last: 1, hourly: 1, daily: 2, weekly: 1, monthly: 2, yearly: 1 };
  const planned = plan(snapshots, policy, { now: at('2026-11-26T04:00:00Z'), timeZone: 'Europe/Athens', prefix: 'zbk' });
  const empty: Plan = { snapshots: [], foreign: [] };
  // 2026-10-31T22:00Z is 1 November in Athens: October's newest there is the 30th.
  t.is(
    renderPlanText([{ dataset: 'tank/backup/usa-vds', plan: planned }, { dataset: 'tank/empty', plan: empty }], 'Europe/Athens'),
    [
      'tank/backup/usa-vds: 6 zbk snapshots, keep 3, destroy 3; 1 foreign left alone',
      '  KEEP     zbk_2026-11-26T030000Z  newest, last 1/1, hourly 1/1, daily 1/2,',
      '                                   weekly 1/1, monthly 1/2, yearly 1/1',
      '  KEEP     zbk_2026-11-25T030000Z  daily 2/2',
      '  DESTROY  zbk_2026-11-02T030000Z',
      '  DESTROY  zbk_2026-11-01T030000Z',
      '  DESTROY  zbk_2026-10-31T220000Z',
      '  KEEP     zbk_2026-10-30T030000Z  held, monthly 2/2',
      '',
      '  Kept by day, Europe/Athens (▮ kept, · all destroyed):',
      '           1   5    10   15   20   25   30',
      '  2026-10                               ▮   1 kept, 0 destroyed',
      '  2026-11  ··                      ▮▮       2 kept, 3 destroyed',
      '',
      '  Foreign snapshots, left alone:',
      '    manual-before-upgrade',
      '',
      'tank/empty: 0 zbk snapshots, keep 0, destroy 0',
    ].join('\n'),
  );
});

test('text fits 80 columns for a year of hourly snapshots under a full policy', (t) => {
  const newest = Date.UTC(2026, 10, 26, 3);
  const snapshots = Array.from({ length: 366 * 24 }, (_, i) => ({ name: formatSnapshotName('zbk', new Date(newest - i * 3_600_000)) }));
  const policy = { keep_last: 5, keep_within: parseDuration('2d') as Duration, hourly: 48, daily: 31, weekly: 52, monthly: 120, yearly: 20 };
  const planned = plan(snapshots, policy, { now: new Date(newest), timeZone: 'Europe/Athens', prefix: 'zbk' });
  const lines = renderPlanText([{ dataset: 'tank/backup/usa-vds', plan: planned }], 'Europe/Athens').split('\n');
  t.is(lines.filter((line) => /^ {2}(KEEP|DESTROY) /.test(line)).length, snapshots.length);
  t.is(lines.filter((line) => /^ {2}\d{4}-\d{2} /.test(line)).length, 13); // 2025-11 .. 2026-11
  t.deepEqual(lines.filter((line) => [...line].length > 80), []);
});

test('text holds a dataset of 150,000 snapshots, more than a call takes arguments', (t) => {
  const newest = Date.UTC(2026, 10, 26, 3);
  const snapshots = Array.from({ length: 150_000 }, (_, i) => {
    const time = new Date(newest - i * 1_800_000);
    return { name: formatSnapshotName('zbk', time), time, action: 'destroy' as const, reasons: [] };
  });
  const huge: Plan = { snapshots, foreign: [] };
  t.is(renderPlanText([{ dataset: 'tank/huge', plan: huge }], 'UTC').split('\n')[0], 'tank/huge: 150000 zbk snapshots, keep 0, destroy 150000');
});

test('a dry run whose real run would refuse says why, under the heading, in 80 columns; the plan follows as planned', (t) => {
  const planned = plan([{ name: 'zbk_2026-11-25T030000Z' }, { name: 'zbk_2026-11-26T030000Z' }, { name: 'zbk_2036-01-01T030000Z' }], { daily: 1 }, {
    now: at('2026-11-26T04:00:00Z'), timeZone: 'UTC', prefix: 'zbk',
  });
  const refused = 'tank/backup/usa-vds@zbk_2036-01-01T030000Z is named 2036-01-01T03:00:00Z, more than a day after its creation ' +
    '(2026-11-26T03:00:05Z): a clock or --now from the future named it, and it would anchor retention; nothing destroyed ' +
    '(if it is a mistake: zfs destroy tank/backup/usa-vds@zbk_2036-01-01T030000Z; --force prunes anyway)';
  const lines = renderPlanText([{ dataset: 'tank/backup/usa-vds', plan: planned, refused }], 'UTC').split('\n');
  t.deepEqual(lines.slice(0, 9), [
    'tank/backup/usa-vds: 3 zbk snapshots, keep 2, destroy 1',
    '  A real prune would refuse: tank/backup/usa-vds@zbk_2036-01-01T030000Z is',
    '    named 2036-01-01T03:00:00Z, more than a day after its creation',
    '    (2026-11-26T03:00:05Z): a clock or --now from the future named it, and it',
    '    would anchor retention; nothing destroyed (if it is a mistake: zfs destroy',
    '    tank/backup/usa-vds@zbk_2036-01-01T030000Z; --force prunes anyway)',
    '  KEEP     zbk_2036-01-01T030000Z  newest, in the future',
    '  KEEP     zbk_2026-11-26T030000Z  daily 1/1',
    '  DESTROY  zbk_2026-11-25T030000Z',
  ]);
  t.deepEqual(lines.filter((line) => [...line].length > 80), []);
  t.deepEqual(renderPlanText([{ dataset: 'tank/backup/usa-vds', plan: planned, refused: null }], 'UTC').split('\n')[1], '  KEEP     zbk_2036-01-01T030000Z  newest, in the future');
});

test('JSON: `refused` after the keys of CONTRACT.md when the caller gives it, a string or null', (t) => {
  const empty: Plan = { snapshots: [], foreign: [] };
  t.is(
    renderPlanJson([{ dataset: 'tank/a', plan: empty, refused: 'why' }, { dataset: 'tank/b', plan: empty, refused: null }]),
    '{"datasets":[{"dataset":"tank/a","snapshots":[],"foreign":[],"refused":"why"},{"dataset":"tank/b","snapshots":[],"foreign":[],"refused":null}]}',
  );
});

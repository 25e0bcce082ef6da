/**
 * runJob end to end on zfs's recorded answers (test/helpers/replay.ts), in both dialects: the
 * order of the zfs commands (properties, probe, snapshot, listing, destroys) against the hooks
 * and the pull, and what a failing step does to the rest. Hooks run in a real sh, a local
 * source is pulled by the real rsync from one temp dir into another (the "mountpoint"); the
 * replay fails a test on any zfs command it does not expect, so "no snapshot taken" is proven
 * by the script ending before one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { runJob } from '../../src/jobs/run-job.js';
import { readJobState } from '../../src/state/jobs.js';
import { exchange, replay, script, type Exchange, type Replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const PROPS = 'mountpoint,mounted,recordsize,zbk:job';

/** `zfs get` of the destination's properties, answered as zfs get -H -p -o name,property,value prints them (zfs-get(8)). */
const propertiesOf = (dataset: string, mountpoint: string, owner = 'web'): Exchange =>
  exchange(`zfs get -H -p -o name,property,value ${PROPS} ${dataset}`, {
    stdout: [['mountpoint', mountpoint], ['mounted', 'yes'], ['recordsize', '131072'], ['zbk:job', owner]]
      .map(([k, v]) => `${dataset}\t${k}\t${v}\n`).join(''),
  });

/** `zfs list` of the filesystems (the check for file systems mounted inside the target): only the job's own. */
const filesystemsOf = (dataset: string, mountpoint: string): Exchange =>
  exchange('zfs list -H -t filesystem -o name,mounted,mountpoint', { stdout: `${dataset}\tyes\t${mountpoint}\n` });

interface Dialect {
  readonly name: string;
  readonly dataset: string;
  readonly now: string;
  readonly probe: string;
  /** The listing and the destroys of a prune to keep_last = 2, after the snapshot at `now`. */
  readonly prune: readonly string[];
  readonly destroyed: readonly string[];
  /** The job's outcome, warnings and notes after that prune: a snapshot a clone depends on is kept with a note, not a warning; a busy one is a warning. */
  readonly outcome: 'ok' | 'warning';
  readonly messages: readonly string[];
  readonly notes: readonly string[];
  /** A snapshot that zfs refuses, and its dataset and instant. */
  readonly snapshotRefused: { readonly dataset: string; readonly now: string; readonly exchanges: readonly Exchange[] };
  /** A listing holding a name from the future. */
  readonly futureName: { readonly dataset: string; readonly listing: string; readonly name: string };
}

const DIALECTS: readonly Dialect[] = [
  {
    name: 'zfs-fuse',
    dataset: 'zbkt_cap/a',
    now: '2026-11-25T04:00:00Z',
    probe: `${R}legacy-probe.txt`,
    prune: [`${R}legacy-list-nightly.txt`, `${R}legacy-prune-nightly.txt`],
    destroyed: ['zbk_2026-11-23T030000Z', 'zbk_2026-11-22T030000Z', 'zbk_2026-11-20T030000Z'],
    outcome: 'ok',
    messages: [],
    notes: ['prune: kept zbkt_cap/a@zbk_2026-11-21T030000Z: a clone depends on it (a view that zbk history, diff or restore is reading, or a clone made by hand); it goes once the clone is gone'],
    snapshotRefused: { dataset: 'zbkt_cap/a', now: '2026-11-25T03:00:00Z', exchanges: script(`${R}legacy-snapshot.txt`).slice(0, 1) },
    futureName: { dataset: 'zbkt_pf/a', listing: `${R}legacy-list-future-name.txt`, name: 'zbk_2036-01-01T030000Z' },
  },
  {
    name: 'OpenZFS',
    dataset: 'tank/backup/usa-vds',
    now: '2026-10-08T04:00:00Z',
    probe: `${R}openzfs-probe.txt`,
    prune: [`${R}openzfs-list-october.txt`, `${R}openzfs-destroy-busy.txt`],
    destroyed: ['zbk_2026-10-06T030000Z', 'zbk_2026-10-04T030000Z', 'zbk_2026-10-03T030000Z', 'zbk_2026-10-01T030000Z'],
    outcome: 'warning',
    messages: [
      'prune: could not destroy tank/backup/usa-vds@zbk_2026-10-02T030000Z: dataset is busy',
    ],
    notes: [
      'prune: kept tank/backup/usa-vds@zbk_2026-10-05T030000Z: a clone depends on it (a view that zbk history, diff or restore is reading, or a clone made by hand); it goes once the clone is gone',
    ],
    snapshotRefused: { dataset: 'backup/c', now: '2026-11-25T03:00:00Z', exchanges: script(`${R}openzfs-snapshot.txt`).slice(1) },
    futureName: { dataset: 'tank/backup/web', listing: `${R}openzfs-list-future-name.txt`, name: 'zbk_2036-11-30T030000Z' },
  },
];

interface Bed {
  readonly dir: string;
  readonly source: string;
  readonly target: string;
  /** What happened, in order: each zfs command, each hook's line, `pulled` when the pull's file reached the target. */
  readonly events: string[];
  readonly run: (r: Replay, o: { dataset: string; now: string; source?: string }) => ReturnType<typeof runJob>;
}

/**
 * A temp dir with the state, a source tree and a target ("the mountpoint"), and a job `web`
 * (keep_last = 2) whose hooks write a line each to a log. The events are put in order by
 * looking at the log and the target each time zbk starts a zfs command, and once at the end.
 */
async function bed(t: ExecutionContext): Promise<Bed> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-run-job-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const source = join(dir, 'source');
  const target = join(dir, 'target');
  await mkdir(source);
  await mkdir(target);
  await writeFile(join(source, 'index.html'), '<h1>web</h1>\n');
  const log = join(dir, 'hooks.log');
  const events: string[] = [];
  let seen = 0;
  let pulled = false;
  const look = () => {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
    events.push(...lines.slice(seen).map((l) => `hook: ${l}`));
    seen = lines.length;
    if (!pulled && existsSync(join(target, 'index.html'))) {
      pulled = true;
      events.push('pulled');
    }
  };
  return {
    dir, source, target, events,
    run: async (r, { dataset, now, source: from }) => {
      r.onCall.push((command) => {
        look();
        events.push(command);
      });
      const config = await parseConfig([
        '[zbk]', `state_dir = "${dir}/state"`, 'timezone = "UTC"',
        '[[job]]', 'name = "web"', `dataset = "${dataset}"`, 'retention = { keep_last = 2 }',
        `pre_hook = "echo pre >> ${log}"`,
        `post_hook = "echo post $ZBK_STATUS $ZBK_SNAPSHOT >> ${log}"`,
        ...(from === undefined ? [] : [`source = "${from}"`]),
      ].join('\n'), join(dir, 'zbk.toml'));
      const report = await runJob({ config, job: config.jobs[0]!, zfs: r.zfs, now: new Date(now) });
      look();
      return report;
    },
  };
}

const lastAttempt = async (b: Bed) => (await readJobState(join(b.dir, 'state'), 'web'))?.lastAttempt;
const snapshotName = (now: string) => `zbk_${now.slice(0, 10)}T${now.slice(11, 19).replaceAll(':', '')}Z`;
const PROBE = 'zfs list -H -p -o name -d 0';
const getProperties = (dataset: string) => `zfs get -H -p -o name,property,value ${PROPS} ${dataset}`;
const LIST_FILESYSTEMS = 'zfs list -H -t filesystem -o name,mounted,mountpoint';

for (const d of DIALECTS) {
  const taken = `${d.dataset}@${snapshotName(d.now)}`;
  const listing = (dataset: string) =>
    `zfs get -H -p -d 1${d.name === 'OpenZFS' ? ' -t snapshot' : ''} -o name,property,value creation,used,referenced,userrefs ${dataset}`;
  const destroysOf = (r: Replay) => r.calls.filter((c) => c.startsWith('zfs destroy'));

  test(`${d.name}: a snapshot-only job: properties, pre hook, probe, snapshot, listing, destroys, post hook, in that order`, async (t) => {
    const b = await bed(t);
    const r = replay(t, [propertiesOf(d.dataset, `/${d.dataset}`)], d.probe, [exchange(`zfs snapshot ${taken}`)], ...d.prune);
    const report = await b.run(r, { dataset: d.dataset, now: d.now });
    const destroys = destroysOf(r);
    t.deepEqual(b.events, [getProperties(d.dataset), 'hook: pre', PROBE, `zfs snapshot ${taken}`, listing(d.dataset), ...destroys, `hook: post ${d.outcome} ${taken}`]);
    t.is(destroys.length, d.name === 'OpenZFS' ? 2 : 4, 'OpenZFS: batches; zfs-fuse: one destroy a snapshot');
    t.is(report.outcome, d.outcome);
    t.is(report.snapshot, taken);
    t.deepEqual(report.pruned, d.destroyed);
    t.deepEqual(report.messages, d.messages);
    t.deepEqual(report.notes, d.notes);
    t.is(report.stats, null, 'nothing pulled');
    const attempt = await lastAttempt(b);
    t.deepEqual([attempt?.outcome, attempt?.snapshot, attempt?.simulated], [d.outcome, taken, d.now]);
    t.deepEqual(await readdir(join(b.dir, 'state', 'locks')), [], 'the lock is released');
  });

  test(`${d.name}: a local-source job pulls after the pre hook and the place checks, before the snapshot`, async (t) => {
    const b = await bed(t);
    const r = replay(t, [propertiesOf(d.dataset, b.target), filesystemsOf(d.dataset, b.target)], d.probe, [exchange(`zfs snapshot ${taken}`)], ...d.prune);
    const report = await b.run(r, { dataset: d.dataset, now: d.now, source: `${b.source}/` });
    t.deepEqual(b.events, [
      getProperties(d.dataset), LIST_FILESYSTEMS, 'hook: pre', 'pulled', PROBE, `zfs snapshot ${taken}`, listing(d.dataset), ...destroysOf(r), `hook: post ${d.outcome} ${taken}`,
    ]);
    t.is(readFileSync(join(b.target, 'index.html'), 'utf8'), '<h1>web</h1>\n');
    t.is(report.outcome, d.outcome);
    t.deepEqual(report.messages, d.messages);
    t.deepEqual(report.notes, d.notes);
    t.is(report.stats?.transferred, 1);
    t.is((await lastAttempt(b))?.stats?.transferred, 1);
  });

  test(`${d.name}: a failed rsync takes no snapshot; the post hook hears of the failure`, async (t) => {
    const b = await bed(t);
    // The script ends before any snapshot: a `zfs snapshot` would fail the test on the spot.
    const r = replay(t, [propertiesOf(d.dataset, b.target), filesystemsOf(d.dataset, b.target)]);
    const report = await b.run(r, { dataset: d.dataset, now: d.now, source: `${b.dir}/no-such-source/` });
    t.deepEqual(b.events, [getProperties(d.dataset), LIST_FILESYSTEMS, 'hook: pre', 'hook: post failed']);
    t.is(report.outcome, 'failed');
    t.is(report.snapshot, null);
    t.regex(report.messages[0]!, /rsync failed with code 23.*; no snapshot taken$/s);
    const attempt = await lastAttempt(b);
    t.deepEqual([attempt?.outcome, attempt?.snapshot], ['failed', null]);
  });

  test(`${d.name}: a snapshot zfs refuses fails the job, and nothing is listed or pruned`, async (t) => {
    const b = await bed(t);
    const { dataset, now, exchanges } = d.snapshotRefused;
    const r = replay(t, [propertiesOf(dataset, `/${dataset}`)], d.probe, exchanges);
    const report = await b.run(r, { dataset, now });
    t.deepEqual(b.events, [getProperties(dataset), 'hook: pre', PROBE, `zfs snapshot ${dataset}@${snapshotName(now)}`, 'hook: post failed']);
    t.is(report.outcome, 'failed');
    t.deepEqual(report.messages, [`${dataset}@${snapshotName(now)} already exists (zbk takes at most one snapshot a second; nothing was overwritten)`]);
    t.deepEqual([report.snapshot, report.pruned], [null, []]);
    t.is((await lastAttempt(b))?.outcome, 'failed');
  });

  test(`${d.name}: a prune refused (a name from the future) is a warning on the job; the snapshot stands, nothing is destroyed`, async (t) => {
    const b = await bed(t);
    const { dataset, listing: script, name } = d.futureName;
    const now = '2026-11-26T03:00:00Z';
    const r = replay(t, [propertiesOf(dataset, `/${dataset}`)], d.probe, [exchange(`zfs snapshot ${dataset}@${snapshotName(now)}`)], script);
    const report = await b.run(r, { dataset, now });
    t.deepEqual(b.events, [getProperties(dataset), 'hook: pre', PROBE, `zfs snapshot ${dataset}@${snapshotName(now)}`, listing(dataset), `hook: post warning ${dataset}@${snapshotName(now)}`]);
    t.is(report.outcome, 'warning');
    t.is(report.messages.length, 1);
    t.regex(report.messages[0]!, new RegExp(`^prune: ${dataset}@${name} is named .*, more than a day after its creation .*nothing destroyed`));
    t.deepEqual(report.pruned, []);
    t.is(report.snapshot, `${dataset}@${snapshotName(now)}`);
  });
}

test('a dataset marked as another job\'s: the job fails before any hook, pull or snapshot', async (t) => {
  const b = await bed(t);
  const r = replay(t, [propertiesOf('tank/backup/usa-vds', b.target, 'mail')]);
  const report = await b.run(r, { dataset: 'tank/backup/usa-vds', now: '2026-10-08T04:00:00Z', source: `${b.source}/` });
  t.deepEqual(b.events, [getProperties('tank/backup/usa-vds'), 'hook: post failed']);
  t.is(report.outcome, 'failed');
  t.regex(report.messages[0]!, /^dataset tank\/backup\/usa-vds is marked as job mail's \(zbk:job=mail\), not job web's/);
  t.false(existsSync(join(b.target, 'index.html')), 'nothing pulled');
});

/**
 * `zbk replicate` to a pool on this machine, all real: two zfs-fuse pools, the CLI. Full then
 * incremental, inert copies, the hold on the base, the dry run; a target away for ten nights
 * while the source keeps two snapshots; a diverged target refused, then forced; the target's
 * retention as the planner says.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { loadConfig } from '../../src/config/load.js';
import { plan } from '../../src/retention/plan.js';
import { zbk } from '../helpers/cli.js';
import { sh } from '../helpers/pool.js';
import { guids, makeBed, night, nightIso, props, replicateCli, snapName, snapshots } from '../helpers/replica-bed.js';

const INERT = { readonly: 'on', canmount: 'noauto', setuid: 'off', exec: 'off', mounted: 'no' };
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => snapName(from + i));
const stateOf = async (state: string) => JSON.parse(await readFile(join(state, 'replicas', 'web@usb.json'), 'utf8'));
const userrefs = async (full: string) => Number((await props(full, 'userrefs')).userrefs);

test.serial('full, then incremental: the dry run exact and harmless, the copies inert, the hold moved to the new base', async (t) => {
  const bed = await makeBed(t);
  await night(bed);
  await night(bed);

  const dry = await replicateCli(bed, '--dry-run', '--format', 'json');
  t.is(dry.exitCode, 0, dry.stderr);
  t.deepEqual(JSON.parse(dry.stdout), { replications: [{
    job: 'web', target: 'usb', source: bed.dataset, destination: bed.destination, mode: 'full', base: null, send: range(1, 2), prune: [],
  }] });
  const dryText = await replicateCli(bed, '--dry-run');
  t.regex(dryText.stdout, /mode: full: the target has no copy yet/);
  t.regex(dryText.stdout, new RegExp(`send 2 snapshots: ${snapName(1)}, ${snapName(2)}`));
  t.is(await snapshots(bed.destination), null, 'the dry run received nothing');
  t.is(await userrefs(`${bed.dataset}@${snapName(2)}`), 0, 'the dry run placed no hold');
  await t.throwsAsync(readFile(join(bed.state, 'replicas', 'web@usb.json')), { code: 'ENOENT' }, 'the dry run wrote no state');

  const full = await replicateCli(bed);
  t.is(full.exitCode, 0, full.stderr + full.stdout);
  t.regex(full.stdout, /^web → usb: full, 2 snapshots, \S+ in \S+$/m);
  t.deepEqual(await guids(bed.destination), await guids(bed.dataset), 'same snapshots, same guids');
  t.like(await props(bed.destination, 'readonly', 'canmount', 'setuid', 'exec', 'mounted'), INERT);
  t.like(await props(`${bed.target.name}/zbk`, 'canmount'), { canmount: 'off' });
  // No source property came along: the copy's mountpoint is its place under the target's pool, not the source's.
  t.is((await props(bed.destination, 'mountpoint')).mountpoint, join(bed.target.mountpoint, 'zbk', 'web'));
  t.is(await userrefs(`${bed.dataset}@${snapName(2)}`), 1, 'the base is held');
  t.like(await stateOf(bed.state), { base: { name: snapName(2) }, holds: [{ snapshot: snapName(2), tag: 'zbk-replica:usb' }], lastSuccess: { mode: 'full', outcome: 'ok' } });

  await night(bed);
  await night(bed);
  t.deepEqual(JSON.parse((await replicateCli(bed, '--dry-run', '--format', 'json')).stdout).replications[0], {
    job: 'web', target: 'usb', source: bed.dataset, destination: bed.destination, mode: 'incremental', base: snapName(2), send: range(3, 4), prune: [],
  });
  const inc = await replicateCli(bed, '--format', 'json');
  t.is(inc.exitCode, 0, inc.stderr);
  t.like(JSON.parse(inc.stdout).replications[0], { mode: 'incremental', base: snapName(2), send: range(3, 4), outcome: 'ok' });
  t.deepEqual(await snapshots(bed.destination), range(1, 4));
  t.is(await userrefs(`${bed.dataset}@${snapName(4)}`), 1, 'the hold moved to the new base');
  t.is(await userrefs(`${bed.dataset}@${snapName(2)}`), 0, 'and left the old one');
  t.like(await stateOf(bed.state), { base: { name: snapName(4) }, holds: [{ snapshot: snapName(4) }] });
  t.like(await props(bed.destination, 'readonly', 'canmount', 'setuid', 'exec', 'mounted'), INERT);

  const again = await replicateCli(bed);
  t.is(again.exitCode, 0, again.stderr);
  t.regex(again.stdout, /^web → usb: up-to-date$/m);
});

test.serial('30 nights, the target away for 10 of them, the source keeping 2: the base survives, the catch-up is one incremental', async (t) => {
  const bed = await makeBed(t, { jobPolicy: 'keep_last = 2' });
  const away: number[] = [];
  for (let n = 1; n <= 30; n++) {
    await night(bed);
    if (n === 11) await sh('zpool', ['export', bed.target.name]);
    if (n === 21) await sh('zpool', ['import', '-d', bed.target.dir, bed.target.name]);
    const r = await replicateCli(bed, '--format', 'json');
    const [rep] = JSON.parse(r.stdout).replications;
    if (n >= 11 && n <= 20) {
      t.is(r.exitCode, 1, `night ${n}: a target away is a warning`);
      t.is(rep.outcome, 'warning');
      t.regex(rep.messages[0], /usb.*(not imported|no such pool)/);
      away.push(n);
      // The source keeps the last copy the target holds, and its policy's two newest: bounded.
      t.deepEqual(await snapshots(bed.dataset), n === 11 ? [snapName(10), snapName(11)] : [snapName(10), snapName(n - 1), snapName(n)]);
      if (n === 20) {
        const pruned = await zbk(['prune', '--config', bed.config, '--dry-run', '--format', 'json', '--now', nightIso(20)]);
        const base = JSON.parse(pruned.stdout).datasets[0].snapshots.find((s: { name: string }) => s.name === snapName(10));
        t.is(base.action, 'keep');
        t.true(base.reasons.includes('replica base: usb'), base.reasons.join(', '));
      }
    } else {
      t.is(r.exitCode, 0, `night ${n}: ${r.stderr}`);
    }
    // Night 21's run pruned night 19 (keep_last = 2, and the base): the stream is base..21, one -I.
    if (n === 21) t.like(rep, { mode: 'incremental', base: snapName(10), send: range(20, 21), outcome: 'ok' }, 'one incremental stream from the base');
  }
  t.is(away.length, 10);
  t.deepEqual(await snapshots(bed.destination), range(29, 30), 'the target pruned by the job\'s policy');
  t.is(await userrefs(`${bed.dataset}@${snapName(30)}`), 1);
  t.is(await userrefs(`${bed.dataset}@${snapName(29)}`), 0);
});

/** A snapshot taken on the target by hand, with a zbk name older than any zbk sent: a name-only prune would destroy it first. */
const HAND = 'zbk_2026-10-01T030000Z';

test.serial('a diverged target: a zbk_ snapshot taken there by hand, then a file written there; each refused without --force (and left alone), saying what --force destroys, and handled with it', async (t) => {
  const bed = await makeBed(t);
  await night(bed);
  t.is((await replicateCli(bed)).exitCode, 0);

  await sh('zfs', ['snapshot', `${bed.destination}@${HAND}`]);
  await night(bed);
  const refused = await replicateCli(bed);
  t.is(refused.exitCode, 2);
  t.regex(refused.stdout, /FAILED/);
  t.regex(refused.stdout.replace(/\n\s+/g, ' '), new RegExp(`${bed.destination}: the target has 1 snapshot after the common base ${snapName(1)}: ${HAND} \\(the target's newest; the source no longer has it, or never had it\\); --force would destroy ${HAND} and roll the target back to ${snapName(1)}; nothing sent`));
  t.deepEqual(await snapshots(bed.destination), [snapName(1), HAND], 'nothing changed on the target');
  const dry = JSON.parse((await replicateCli(bed, '--dry-run', '--format', 'json')).stdout).replications[0];
  t.is(dry.mode, 'refused');
  const forced = await replicateCli(bed, '--force');
  t.is(forced.exitCode, 0, forced.stderr);
  t.deepEqual(await snapshots(bed.destination), range(1, 2));

  // A file written on the target, with no snapshot: only the receive sees it.
  await sh('zfs', ['set', 'readonly=off', bed.destination]);
  await sh('zfs', ['mount', bed.destination]);
  const mnt = (await props(bed.destination, 'mountpoint')).mountpoint!;
  await sh('sh', ['-c', `echo changed > ${mnt}/written-on-the-target`]);
  await night(bed);
  const changed = await replicateCli(bed);
  t.is(changed.exitCode, 2);
  t.regex(changed.stdout.replace(/\n\s+/g, ' '), /changed on the target since its newest snapshot.*--force rolls it back to that snapshot, destroying those changes/);
  t.deepEqual(await snapshots(bed.destination), range(1, 2));
  const rolled = await replicateCli(bed, '--force');
  t.is(rolled.exitCode, 0, rolled.stderr);
  t.deepEqual(await snapshots(bed.destination), range(1, 3));
  t.like(await props(bed.destination, 'readonly', 'canmount', 'setuid', 'exec'), { readonly: 'on', canmount: 'noauto', setuid: 'off', exec: 'off' });
});

test.serial('the target\'s retention is exactly the planner\'s, with copies the source no longer has', async (t) => {
  const bed = await makeBed(t, { jobPolicy: 'keep_last = 2', targetPolicy: 'keep_last = 2\ndaily = 4\nweekly = 2' });
  const received: string[] = [];
  for (let n = 1; n <= 12; n++) {
    await night(bed);
    const dry = JSON.parse((await replicateCli(bed, '--dry-run', '--format', 'json')).stdout).replications[0];
    const r = await replicateCli(bed, '--format', 'json');
    t.is(r.exitCode, 0, r.stderr);
    const rep = JSON.parse(r.stdout).replications[0];
    t.deepEqual(rep.prune, dry.prune, `night ${n}: the dry run said what the run destroyed`);
    received.push(...rep.send);
  }
  const config = await loadConfig({ path: bed.config });
  const expected = plan(received.map((name) => ({ name })), config.targets[0]!.retention!, { now: new Date(nightIso(12)), timeZone: 'UTC', prefix: 'zbk' });
  t.deepEqual(await snapshots(bed.destination), expected.snapshots.filter((s) => s.action === 'keep').map((s) => s.name).reverse());
  t.true(((await snapshots(bed.destination)) ?? []).length > (await snapshots(bed.dataset))!.length, 'the target keeps copies the source pruned');
});

test.serial('a target removed from the config: the next replicate releases its hold on the source, and the prune no longer keeps its base', async (t) => {
  const bed = await makeBed(t);
  await night(bed);
  t.is((await replicateCli(bed)).exitCode, 0);
  t.is(await userrefs(`${bed.dataset}@${snapName(1)}`), 1);
  const text = await readFile(bed.config, 'utf8');
  await writeFile(bed.config, text.slice(0, text.indexOf('[[target]]')).replace('replicate = ["usb"]\n', ''));
  const r = await replicateCli(bed);
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stderr, new RegExp(`released the hold ${bed.dataset}@${snapName(1)} \\(zbk-replica:usb\\): its target no longer receives web`));
  t.regex(r.stdout, /nothing to replicate/);
  t.is(await userrefs(`${bed.dataset}@${snapName(1)}`), 0);
  t.like(await stateOf(bed.state), { holds: [] });
});

/**
 * `kill -9` mid-stream, of zbk and of the receive: both sides stay consistent (the target at
 * its last complete snapshot, the state valid with its base unmoved, every hold zbk placed
 * named in it), and the next run completes. Real pools, the CLI.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { pidsOf, until, zbkInBackground } from '../helpers/processes.js';
import { makeBed, night, nightIso, props, replicateCli, snapName, snapshots, type Bed } from '../helpers/replica-bed.js';

/** A night big enough that its stream takes a while on zfs-fuse. */
const BIG = 128 * 1024 * 1024;

/** `zbk replicate` in the background. */
const replicateInBackground = (t: ExecutionContext, bed: Bed) =>
  zbkInBackground(t, ['replicate', '--config', bed.config, '--now', nightIso(bed.nights)]);

const stateOf = async (bed: Bed) => JSON.parse(await readFile(join(bed.state, 'replicas', 'web@usb.json'), 'utf8'));
const userrefs = async (full: string) => Number((await props(full, 'userrefs')).userrefs);

/** Two nights sent, then a big third one on its way: the receive is running. */
async function midStream(t: ExecutionContext) {
  const bed = await makeBed(t, { sizeMiB: 512 });
  await night(bed);
  await night(bed);
  t.is((await replicateCli(bed)).exitCode, 0);
  await night(bed, BIG);
  const child = replicateInBackground(t, bed);
  const [receive] = await until('the zfs receive', async () => {
    // `zfs receive` as one phrase: `zfs get … receive_resume_token <destination>` has both words.
    const pids = await pidsOf('zfs receive', bed.destination);
    return pids.length > 0 ? pids : null;
  }, 30_000, 10);
  const [send] = await pidsOf('zfs send', bed.dataset);
  await new Promise((r) => setTimeout(r, 50)); // bytes flowing (zfs-fuse takes the whole stream in about a second)
  return { bed, child, receive: receive!, send: send! };
}

/**
 * What a killed run must leave: the target at a complete snapshot (its last, or with zbk killed,
 * maybe the new one: the stream goes from send to receive without zbk, and may end after it),
 * the state's base unmoved, its holds named.
 */
async function consistent(t: ExecutionContext, bed: Bed, streamMayEnd = false) {
  const copies = await snapshots(bed.destination);
  if (streamMayEnd && copies?.length === 3) t.deepEqual(copies, [snapName(1), snapName(2), snapName(3)]);
  else t.deepEqual(copies, [snapName(1), snapName(2)], 'the target keeps its last complete snapshot');
  const state = await stateOf(bed);
  t.is(state.base.name, snapName(2), 'the base moves only once the target holds the new one');
  for (const n of [1, 2, 3]) {
    const held = await userrefs(`${bed.dataset}@${snapName(n)}`);
    if (held > 0) t.true(state.holds.some((h: { snapshot: string }) => h.snapshot === snapName(n)), `the hold on ${snapName(n)} is in the state`);
  }
}

/** The next run completes: everything received, one hold on the new base, the copy inert. */
/**
 * zfs-fuse's `zfs send` holds the snapshot it sends with a temporary tag `.send-<pid>-0`, and
 * unlike OpenZFS (which drops it when the sender's /dev/zfs closes) leaks it when the send is
 * killed. Not zbk's hold (and no FreeBSD leaks it): released here, so that zbk's own are what is counted.
 */
async function dropLeakedSendHold(bed: Bed, send: number): Promise<void> {
  // On the stream's two ends, where the send got to place it (`no such tag` where it did not).
  for (const n of [2, 3]) await execa('zfs', ['release', `.send-${send}-0`, `${bed.dataset}@${snapName(n)}`], { reject: false });
}

async function completes(t: ExecutionContext, bed: Bed, o: { takesOver: boolean; streamEnded?: boolean; deadSend: number }) {
  const { takesOver, streamEnded = false } = o;
  const r = await replicateCli(bed, '--format', 'json');
  // After the run: its takeover may have stopped the dead run's send, which leaks its tag then.
  await dropLeakedSendHold(bed, o.deadSend);
  if (takesOver && r.exitCode === 1) {
    // The dead run's send or receive was still there: stopped by the takeover, a warning.
    t.regex(JSON.parse(r.stdout).replications[0].messages.join('\n'), /stopped what the dead run .* left running/);
  } else {
    t.is(r.exitCode, 0, r.stderr);
  }
  const done = JSON.parse(r.stdout).replications[0];
  // The dead run's stream got through after it died (the takeover found nothing left), or before
  // the receive's kill took: nothing to send, the base moves.
  if ((takesOver || streamEnded) && done.mode === 'up-to-date') t.like(done, { base: snapName(3), send: [] });
  else t.like(done, { mode: 'incremental', base: snapName(2), send: [snapName(3)] });
  t.deepEqual(await snapshots(bed.destination), [snapName(1), snapName(2), snapName(3)]);
  t.is(await userrefs(`${bed.dataset}@${snapName(3)}`), 1);
  t.is(await userrefs(`${bed.dataset}@${snapName(2)}`), 0, 'the old hold was released');
  t.like(await stateOf(bed), { base: { name: snapName(3) }, holds: [{ snapshot: snapName(3) }] });
  t.like(await props(bed.destination, 'readonly', 'canmount', 'mounted'), { readonly: 'on', canmount: 'noauto', mounted: 'no' });
}

test.serial('kill -9 of zbk mid-stream: both sides consistent; the next run stops what it left running (or finds the stream that got through) and completes', async (t) => {
  const { bed, child, send } = await midStream(t);
  child.kill('SIGKILL');
  await child;
  await consistent(t, bed, true);
  // The next run takes the dead run's lock over (stopping its send and receive, should they still run), then sends again from the base.
  await completes(t, bed, { takesOver: true, deadSend: send });
});

test.serial('kill -9 of the receive mid-stream: the run fails naming the receive; both sides consistent; the next run completes', async (t) => {
  const { bed, child, receive, send } = await midStream(t);
  process.kill(receive, 'SIGKILL');
  const r = await child;
  t.is(r.exitCode, 2);
  t.regex(r.stdout, /FAILED: zfs receive killed by SIGKILL/);
  // zfs-fuse receives in its daemon, from the pipe the killed client handed it: when the rest of
  // the stream gets in before zbk has stopped the send (a loaded machine: CI), the snapshot is
  // received whole. Either way a complete snapshot, and the run failed, its base unmoved.
  const ended = (await snapshots(bed.destination))?.length === 3;
  if (ended) t.log('the stream got in whole before the send was stopped: the target holds the new snapshot');
  await consistent(t, bed, true);
  await completes(t, bed, { takesOver: false, streamEnded: ended, deadSend: send });
});

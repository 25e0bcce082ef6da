import test from 'ava';
import { parseVdevTable } from '../../src/health/vdev-table.js';

const table = (text: string) => parseVdevTable(text.split('\n'));
const summary = (text: string) => table(text).devices.map((d) => `${d.depth} ${d.role} ${d.group} ${d.name} ${d.state} ${d.read}/${d.write}/${d.cksum} ${d.note ?? '-'}`);

test('rows nest two columns a level below the NAME header; roles follow the nesting', (t) => {
  t.deepEqual(
    summary(`
\tNAME              STATE     READ WRITE CKSUM
\tzbkh_m            ONLINE       0     0     0
\t  mirror-0        ONLINE       0     0     0
\t    /tmp/zbkh/d1  ONLINE       0     0     0
\t    /tmp/zbkh/d2  ONLINE       0     0   868  96.3M repaired
`),
    ['0 pool data zbkh_m ONLINE 0/0/0 -', '1 vdev data mirror-0 ONLINE 0/0/0 -', '2 leaf data /tmp/zbkh/d1 ONLINE 0/0/0 -', '2 leaf data /tmp/zbkh/d2 ONLINE 0/0/868 96.3M repaired'],
  );
});

test('group headings (one with a trailing tab) put their rows in the group; spares have no counters', (t) => {
  t.deepEqual(
    summary(`
\tNAME          STATE     READ WRITE CKSUM
\trpool         DEGRADED     0     0     0
\t  sda         ONLINE       0     0     0
\tlogs\t
\t  nvme0n1p4   ONLINE       0     0     0
\tcache
\t  nvme0n1p5   ONLINE       0     0     0
\tspecial
\t  mirror-1    ONLINE       0     0     0
\t    nda0      ONLINE       0     0     0
\tdedup
\t  nda1        ONLINE       0     0     0
\tspares
\t  draid1-0-0  INUSE     currently in use
\t  sdz         AVAIL   
`),
    [
      '0 pool data rpool DEGRADED 0/0/0 -',
      '1 leaf data sda ONLINE 0/0/0 -',
      '1 leaf logs nvme0n1p4 ONLINE 0/0/0 -',
      '1 leaf cache nvme0n1p5 ONLINE 0/0/0 -',
      '1 vdev special mirror-1 ONLINE 0/0/0 -',
      '2 leaf special nda0 ONLINE 0/0/0 -',
      '1 leaf dedup nda1 ONLINE 0/0/0 -',
      '1 leaf spares draid1-0-0 INUSE 0/0/0 currently in use',
      '1 leaf spares sdz AVAIL 0/0/0 -',
    ],
  );
});

test('abbreviated and locale-formatted counters become numbers', (t) => {
  const [, vdev, leaf] = table(`
        NAME                STATE     READ WRITE CKSUM
        TEMP                DEGRADED     0     0     0
          raidz2-0          DEGRADED  945K     0     0
            50cc36be        DEGRADED 12,8K     0     2  too many errors
`).devices;
  t.is(vdev?.read, 967_680);
  t.like(leaf, { read: 13_107, cksum: 2, note: 'too many errors' });
});

test('annotations are kept as printed', (t) => {
  const notes = table(`
\tNAME                        STATE     READ WRITE CKSUM
\trpool                       DEGRADED     0     0     0
\t  replacing-5               UNAVAIL      0     0     0  insufficient replicas
\t    12927432126504181617    UNAVAIL      0     0     0  was /dev/sdf1/old
\t    sdf                     OFFLINE      0     0     0  (resilvering)
`).devices.map((d) => d.note);
  t.deepEqual(notes, [null, 'insufficient replicas', 'was /dev/sdf1/old', '(resilvering)']);
});

test('columns after CKSUM in the header (-s, --power, -c) are skipped before the note', (t) => {
  const [, , leaf] = table(`
\tNAME          STATE     READ WRITE CKSUM  SLOW
\ttank          ONLINE       0     0     0     -
\t  mirror-0    ONLINE       0     0     0     -
\t    ada1      ONLINE       0     0     0    12  (resilvering)
`).devices;
  t.like(leaf, { name: 'ada1', note: '(resilvering)' });
});

test('pastes with tabs turned into spaces, or blank lines dropped, nest the same', (t) => {
  const spaced = summary(`        NAME        STATE     READ WRITE CKSUM
        tank        ONLINE       0     0     0
          mirror-0  ONLINE       0     0     0
            ada0    ONLINE       0     0     0`);
  const tabbed = summary(`\tNAME        STATE     READ WRITE CKSUM
\ttank        ONLINE       0     0     0
\t  mirror-0  ONLINE       0     0     0
\t    ada0    ONLINE       0     0     0`);
  t.deepEqual(spaced, tabbed);
});

test('rows that are not device rows, and anything before the header, are not understood', (t) => {
  t.deepEqual(
    table(`
some text first
\tNAME        STATE     READ WRITE CKSUM
\ttank        ONLINE       0     0     0
\t  ada0      SLEEPING     0     0     0
\t  ada1      ONLINE
\t  ada2      AVAIL
`).unknown,
    ['some text first', 'ada0      SLEEPING     0     0     0', 'ada1      ONLINE', 'ada2      AVAIL'],
  );
});

import test from 'ava';
import fc from 'fast-check';
import { deleted, versions, type Entry, type Observation } from '../../src/views/versions.js';

const file = (size: number, mtime: string, sha256: string | null = null): Entry => ({ type: 'file', size, mtime, sha256 });
const A = file(10, '2026-11-20T14:02:11Z');
const B = file(12, '2026-11-21T14:02:11Z');

test('runs of equal entries are one version each, oldest first; the live dataset marks the last', (t) => {
  const v = versions([
    { snapshot: 's1', entry: A }, { snapshot: 's2', entry: A }, { snapshot: 's3', entry: B }, { snapshot: null, entry: B },
  ]);
  t.deepEqual(v, [
    { ...A, snapshots: ['s1', 's2'], live: false },
    { ...B, snapshots: ['s3'], live: true },
  ]);
});

test('a snapshot without the path ends a run: deleted then recreated the same is two versions', (t) => {
  const v = versions([{ snapshot: 's1', entry: A }, { snapshot: 's2', entry: null }, { snapshot: 's3', entry: A }, { snapshot: null, entry: null }]);
  t.deepEqual(v.map((x) => x.snapshots), [['s1'], ['s3']]);
  t.true(deleted([{ snapshot: 's1', entry: A }, { snapshot: null, entry: null }]));
  t.false(deleted([{ snapshot: 's1', entry: A }, { snapshot: null, entry: A }]));
  t.false(deleted([{ snapshot: 's1', entry: null }, { snapshot: null, entry: null }]));
});

test('same size and mtime, other content: one version without checksums, two with', (t) => {
  t.is(versions([{ snapshot: 's1', entry: A }, { snapshot: 's2', entry: A }]).length, 1);
  const v = versions([{ snapshot: 's1', entry: { ...A, sha256: 'aa' } }, { snapshot: 's2', entry: { ...A, sha256: 'bb' } }]);
  t.deepEqual(v.map((x) => [x.sha256, x.snapshots]), [['aa', ['s1']], ['bb', ['s2']]]);
});

test('a type change (file to directory) is a new version', (t) => {
  const v = versions([{ snapshot: 's1', entry: A }, { snapshot: 's2', entry: { type: 'directory', size: 10, mtime: A.mtime, sha256: null } }]);
  t.deepEqual(v.map((x) => x.type), ['file', 'directory']);
});

test('property: every snapshot holding the path is in exactly one version, in order; neighbours differ or were split by an absence', (t) => {
  const entry = fc.option(fc.constantFrom(A, B, file(10, A.mtime, 'x')), { nil: null });
  fc.assert(fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
    const obs: Observation[] = entries.map((e, i) => ({ snapshot: `s${i}`, entry: e }));
    const v = versions(obs);
    const listed = v.flatMap((x) => x.snapshots);
    const present = obs.filter((o) => o.entry !== null).map((o) => o.snapshot!);
    if (JSON.stringify(listed) !== JSON.stringify(present)) return false;
    return v.every((x, i) => {
      const next = v[i + 1];
      if (!next) return true;
      const gap = Number(next.snapshots[0]!.slice(1)) - Number(x.snapshots[x.snapshots.length - 1]!.slice(1)) > 1;
      return gap || x.size !== next.size || x.mtime !== next.mtime || x.sha256 !== next.sha256 || x.type !== next.type;
    });
  }));
  t.pass();
});

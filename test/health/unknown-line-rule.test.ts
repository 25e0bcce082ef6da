/**
 * The rule of issue #12, item 1, over real outputs: a line zbk does not understand is a note,
 * not a verdict, unless trouble could hide in it (a config-table row, an `errors:` section, a
 * `state:` it does not know, a missing `errors:` line).
 */
import test from 'ava';
import fc from 'fast-check';
import { assess } from '../../src/health/assess.js';
import { parseText } from '../../src/health/parse-text.js';
import { fixture } from '../helpers/fixtures.js';
import { holds, NOW, pool, THRESHOLDS } from './builders.js';

const HEALTHY = ['fuse-mirror-scrub-completed-clean.txt', 'openzfs-2.x-checkpoint-created-zfswatcher-16.txt', 'zol-0.8-trim-t-started-unsupported-pr-8419.txt'];
const KNOWN_KEYS = new Set(['pool', 'state', 'status', 'action', 'see', 'scan', 'scrub', 'config', 'errors', 'remove', 'checkpoint', 'expand', 'dedup']);
/** Scrub age is not what these properties are about. */
const NO_AGE = { ...THRESHOLDS, maxAgeMs: null };
const verdicts = (text: string) => parseText(text, 'UTC').pools.map((p) => assess(p, null, NO_AGE, NOW).alert);
const linesOf = (name: string) => fixture(`zpool-status/${name}`).split('\n');

test('the healthy outputs the properties start from are ok', (t) => {
  for (const name of HEALTHY) t.true(verdicts(fixture(`zpool-status/${name}`)).every((v) => v === 'ok'), name);
});

test('an arbitrary unknown header line never changes an ok verdict', (t) => {
  const header = fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.stringMatching(/^[a-z]{1,12}$/), fc.string({ maxLength: 80 }).map((v) => v.replace(/[\r\n]/g, ' ')))
    .filter(([, key]) => !KNOWN_KEYS.has(key))
    .map(([indent, key, value]) => `${' '.repeat(indent)}${key}:${value === '' ? '' : ` ${value}`}`);
  holds(
    t,
    fc.property(fc.constantFrom(...HEALTHY), header, fc.nat(), (name, line, at) => {
      const lines = linesOf(name);
      // Before any section key but the first pool's: the header starts its own section there.
      const starts = lines.flatMap((l, i) => (i > 0 && /^ {0,6}[a-z]+:/.test(l) ? [i] : []));
      const i = starts[at % starts.length] ?? 1;
      const text = [...lines.slice(0, i), line, ...lines.slice(i)].join('\n');
      const pools = parseText(text, 'UTC').pools;
      return pools.every((p) => assess(p, null, NO_AGE, NOW).alert === 'ok') && pools.some((p) => p.unfamiliar_lines.includes(line.trim()));
    }),
  );
});

test('an unreadable config-table row always changes an ok verdict', (t) => {
  const STATES = new Set(['ONLINE', 'DEGRADED', 'FAULTED', 'OFFLINE', 'UNAVAIL', 'REMOVED', 'SPLIT', 'AVAIL', 'INUSE']);
  const token = fc.stringMatching(/^[!-~]{1,16}$/);
  const counter = fc.constantFrom('0', '12', '1.2K', '3,4M');
  const badState = token.filter((s) => !STATES.has(s)).map((s) => [s, '0', '0', '0']);
  const badCounters = fc.tuple(fc.constantFrom('ONLINE', 'DEGRADED', 'FAULTED'), counter, counter, token).filter(([, , , c]) => !/^\d+(?:[.,]\d+)?[KMGTPE]?$/.test(c));
  const row = fc.tuple(fc.integer({ min: 0, max: 3 }), token, fc.oneof(badState, badCounters)).map(([depth, name, rest]) => `\t${'  '.repeat(depth + 1)}${name}  ${rest.join('  ')}`);
  holds(
    t,
    fc.property(fc.constantFrom(...HEALTHY), row, fc.nat(), (name, line, at) => {
      const lines = linesOf(name);
      const header = lines.findIndex((l) => /^\s*NAME\s+STATE\b/.test(l));
      const end = lines.findIndex((l, i) => i > header && l.trim() === '');
      const i = header + 2 + (at % (end - header - 1)); // after the pool's row, among the others
      const text = [...lines.slice(0, i), line, ...lines.slice(i)].join('\n');
      return verdicts(text).some((v) => v !== 'ok');
    }),
  );
});

test('a state zbk does not know, or a missing errors: line, is unknown; an unfamiliar line is a note', (t) => {
  t.deepEqual(assess(pool({ state: 'RESILVERING' }), null, NO_AGE, NOW).reasons, ['tank: the pool\'s state "RESILVERING" is not one zbk knows — read `zpool status -v tank` yourself']);
  const noErrors = linesOf('fuse-mirror-scrub-completed-clean.txt').filter((l) => !l.startsWith('errors:')).join('\n');
  t.deepEqual(verdicts(noErrors), ['unknown']);
  const noted = assess(pool({ unfamiliar_lines: ['trim: a', 'b', 'c', 'd'] }), null, NO_AGE, NOW);
  t.like(noted, { alert: 'ok', reasons: [] });
  t.deepEqual(noted.notes, ['tank: 4 lines zbk does not know, none of them where a fault could hide: "trim: a", "b", "c" and 1 more']);
});

import test from 'ava';
import { leftoverProblem } from '../../src/cli/leftovers.js';

const REPEATABLE = new Set(['job', 'datasets', 'pools']);

test('anything after the command in _ (what followed --) is named', (t) => {
  t.is(leftoverProblem('prune', { _: ['prune'] }, REPEATABLE), null);
  t.regex(leftoverProblem('prune', { _: ['prune', '--dry-run'] }, REPEATABLE)!, /^prune: "--dry-run" after --/);
  t.regex(leftoverProblem('prune', { _: ['prune', 'tank/other', '-x'] }, REPEATABLE)!, /"tank\/other" "-x" after --/);
  t.regex(leftoverProblem('list', { _: ['list'], '--': ['tank/a'] }, REPEATABLE)!, /"tank\/a" after --/);
  t.regex(leftoverProblem('status', { _: ['status', ''] }, REPEATABLE)!, /"" after --/);
});

test('a single-valued option given twice is refused; repeatable ones and booleans are not', (t) => {
  t.regex(leftoverProblem('prune', { _: ['prune'], now: ['a', 'b'] }, REPEATABLE)!, /--now given 2 times/);
  t.regex(leftoverProblem('scrub-report', { _: ['scrub-report'], fromFile: ['a', 'b'], 'from-file': ['a', 'b'] }, REPEATABLE)!, /--from-file given 2 times/);
  t.is(leftoverProblem('prune', { _: ['prune'], job: ['a', 'b'], datasets: ['x', 'y'], dryRun: true }, REPEATABLE), null);
});


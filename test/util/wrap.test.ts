/** Lines a mail reader does not wrap: at most 78 columns, broken at spaces, names never cut. */
import test from 'ava';
import fc from 'fast-check';
import { MAIL_WIDTH, wrap } from '../../src/util/wrap.js';

test('a short line is left as it is', (t) => {
  t.is(wrap('  WARNING: post_hook failed (exit 1)', '    '), '  WARNING: post_hook failed (exit 1)');
});

test('a long message breaks at spaces, later lines indented', (t) => {
  const text = '  WARNING: prune: the newest snapshot tank/backup/web@zbk_2026-03-05T030000Z is after now (2026-03-01T03:00:00Z): the clock may have gone backwards; nothing destroyed';
  t.is(wrap(text, '    '), [
    '  WARNING: prune: the newest snapshot tank/backup/web@zbk_2026-03-05T030000Z',
    '    is after now (2026-03-01T03:00:00Z): the clock may have gone backwards;',
    '    nothing destroyed',
  ].join('\n'));
});

test('a name longer than a line stands whole on its own line; a newline starts an indented line', (t) => {
  const long = `tank/${'x'.repeat(90)}`;
  t.is(wrap(`  FAILED: dataset ${long} does not exist\nrsync said so`, '    '), `  FAILED: dataset\n    ${long}\n    does not exist\n    rsync said so`);
});

test('every line fits unless it is one word; the words and their order are kept', (t) => {
  const word = fc.stringMatching(/^[a-z@/._-]{1,100}$/);
  t.notThrows(() => fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), (words) => {
    const out = wrap(`  ${words.join(' ')}`, '    ');
    for (const line of out.split('\n')) {
      if (line.length > MAIL_WIDTH && line.trim().includes(' ')) return false;
    }
    return out.split(/\s+/).filter(Boolean).join(' ') === words.join(' ');
  })));
});

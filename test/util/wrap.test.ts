/** Lines a mail reader does not wrap: at most 78 columns, broken at spaces, names never cut. */
import test from 'ava';
import fc from 'fast-check';
import { MAIL_WIDTH, wrap, wrapItems } from '../../src/util/wrap.js';

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

test('items: a list broken after its commas, each item whole, the first line counted from what stands before it', (t) => {
  const items = ['newest', 'last 1/1', 'hourly 1/1', 'daily 1/2', 'weekly 1/4'];
  t.is(wrapItems(items, '      ', { width: 40, separator: ', ', first: 'KEEP  ' }), [
    'KEEP  newest, last 1/1, hourly 1/1,',
    '      daily 1/2, weekly 1/4',
  ].join('\n'));
  t.is(wrapItems([], '  ', { first: 'KEEP  ' }), 'KEEP  ', 'no items: the first line as it stands');
  t.notThrows(() => fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9/ ]{1,12}$/), { maxLength: 30 }), (list) => {
    const out = wrapItems(list, '    ', { width: 30, separator: ', ', first: '  ' });
    return out.split('\n').every((line) => line.length <= 30) && out.replaceAll('\n    ', ' ').slice(2) === list.join(', ');
  })));
});

import test from 'ava';
import { LineTail } from '../../src/sync/line-tail.js';

test('lines end at \\n or \\r, also across chunks; blank lines are dropped', (t) => {
  const tail = new LineTail(10);
  for (const chunk of ['\r  1  0%', '\r  2 50%\r  3 99%\n', '\nNumber of ', 'files: 9\r\n', 'total size is 9']) tail.push(chunk);
  t.is(tail.text(), '  1  0%\n  2 50%\n  3 99%\nNumber of files: 9\n');
  tail.end();
  t.is(tail.text(), '  1  0%\n  2 50%\n  3 99%\nNumber of files: 9\ntotal size is 9\n');
});

test('only the last lines are kept', (t) => {
  const tail = new LineTail(3);
  for (let i = 1; i <= 1000; i++) tail.push(`line ${i}\n`);
  t.is(tail.text(), 'line 998\nline 999\nline 1000\n');
});

test('every line is shown to onLine, which says what to keep', (t) => {
  const seen: string[] = [];
  const tail = new LineTail(10, (line) => {
    seen.push(line);
    return !line.startsWith('progress');
  });
  tail.push('progress 1\rprogress 2\rkept\n');
  t.deepEqual(seen, ['progress 1', 'progress 2', 'kept']);
  t.is(tail.text(), 'kept\n');
});

test('a line without end is cut at 16K characters', (t) => {
  const tail = new LineTail(10);
  for (let i = 0; i < 100; i++) tail.push('x'.repeat(1000));
  tail.end();
  t.is(tail.text(), `${'x'.repeat(16384)}\n`);
});

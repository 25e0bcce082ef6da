import test from 'ava';
import { decodeOctalEscapes } from '../../src/util/octal-escapes.js';

const ZFS = /^\\(0?[0-7]{3})/;
const RSYNC = /^\\#([0-7]{3})/;

test('escaped bytes come back as the UTF-8 they spell, whole, in either tool\'s form', (t) => {
  t.is(decodeOctalEscapes('caf\\0303\\0251.txt', ZFS), 'café.txt');
  t.is(decodeOctalEscapes('caf\\303\\251.txt', ZFS), 'café.txt');
  t.is(decodeOctalEscapes('caf\\#303\\#251.txt', RSYNC), 'café.txt');
  t.is(decodeOctalEscapes('tab\\#011here', RSYNC), 'tab\there');
});

test('text without escapes, astral characters included, is left as it is', (t) => {
  for (const text of ['plain', '😀/ok', 'a\\b', '\\#12x', '']) t.is(decodeOctalEscapes(text, RSYNC), text);
  t.is(decodeOctalEscapes('😀\\0101', ZFS), '😀A');
});

/** Who may change what zbk trusts: root or zbk's user own it, nobody else writes it (a sticky directory aside). */
import test from 'ava';
import { ownerProblem, trustProblem, writersProblem, zbkUid } from '../../src/util/trust.js';

const FILE = 0o100000;
const DIR = 0o040000;

test('owned by root or by zbk\'s user, nobody else', (t) => {
  t.is(ownerProblem({ uid: 0, mode: FILE | 0o600 }, 1000), null);
  t.is(ownerProblem({ uid: 1000, mode: FILE | 0o600 }, 1000), null);
  t.is(ownerProblem({ uid: 4321, mode: FILE | 0o600 }, 1000), 'is owned by uid 4321, neither root nor zbk\'s user (uid 1000)');
  t.is(ownerProblem({ uid: zbkUid(), mode: FILE | 0o600 }), null, 'by default, the user the tests run as');
});

test('writable by its group or others is refused, naming which and the mode; a sticky directory only where allowed', (t) => {
  t.is(writersProblem({ uid: 0, mode: FILE | 0o644 }), null);
  t.is(writersProblem({ uid: 0, mode: FILE | 0o664 }), 'is writable by its group (mode 0664)');
  t.is(writersProblem({ uid: 0, mode: FILE | 0o646 }), 'is writable by others (mode 0646)');
  t.is(writersProblem({ uid: 0, mode: DIR | 0o1777 }), 'is writable by others (mode 1777)');
  t.is(writersProblem({ uid: 0, mode: DIR | 0o1777 }, true), null, '/tmp: only an entry\'s owner may move it');
  t.is(writersProblem({ uid: 0, mode: DIR | 0o777 }, true), 'is writable by others (mode 0777)', 'sticky allowed, but not set');
});

test('trustProblem: the owner first, then who may write it', (t) => {
  t.is(trustProblem({ uid: 4321, mode: FILE | 0o666 }), `is owned by uid 4321, neither root nor zbk's user (uid ${zbkUid()})`);
  t.is(trustProblem({ uid: 0, mode: FILE | 0o666 }), 'is writable by others (mode 0666)');
  t.is(trustProblem({ uid: 0, mode: DIR | 0o1777 }, true), null);
});

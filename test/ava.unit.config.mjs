// `make unit` and `make unit-as-nobody`: the unit tests as compiled by test/unit-build.mjs, with
// no TypeScript loader; four files at a time (many wait on processes and timers more than they
// compute); and without ava's cache of failed tests, which it would write under
// node_modules/.cache (nobody may not write the tree).
import base from '../package.json' with { type: 'json' };

const { extensions, nodeArguments, ...rest } = base.ava;

export default { ...rest, files: ['build/unit/test/**/*.test.js', '!build/unit/test/team/**'], cache: false, concurrency: 4 };

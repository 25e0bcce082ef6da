// `make unit-as-nobody`: ava's own configuration, without its cache of failed tests, which it
// would write under node_modules/.cache (nobody may not write the tree).
import base from '../package.json' with { type: 'json' };

export default { ...base.ava, cache: false };

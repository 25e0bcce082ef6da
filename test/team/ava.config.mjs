// `make check-team`: the team's checks against the samples kept beside the repository.
import base from '../../package.json' with { type: 'json' };

export default { ...base.ava, files: ['test/team/**/*.test.ts'] };

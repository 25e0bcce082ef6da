/** `[retention.NAME]` tables and inline `retention = { ... }`: counts and keep_within, bounded. */
import { COUNTS, DEFAULT_POLICY, MAX_COUNT, POLICY_KEYS, validatePolicy, type Policy } from '../retention/policy.js';
import { hasControl } from '../util/control.js';
import { LENGTH } from '../util/duration.js';
import { isTable, TableReader } from './reader.js';
import type { Problem } from './problems.js';

export function readPolicy(r: TableReader): Policy {
  const before = r.problems.length;
  const policy: { -readonly [K in keyof Policy]: Policy[K] } = {};
  for (const key of COUNTS) {
    const n = r.optionalInteger(key, 0, MAX_COUNT);
    if (n !== undefined) policy[key] = n;
  }
  const within = r.duration('keep_within', null, LENGTH);
  if (within) policy.keep_within = within;
  // A value refused above is left out, and the rest may then keep nothing: one problem is enough.
  if (r.problems.length === before) for (const message of validatePolicy(policy)) r.problem(null, message);
  return policy;
}

/** The named policies, in a Map: a name is never an object key (`__proto__` is a name like any other). */
export function readPolicies(root: TableReader, problems: Problem[]): Map<string, Policy> {
  const policies = new Map<string, Policy>([['default', DEFAULT_POLICY]]);
  const section = root.get('retention');
  if (section === undefined) return policies;
  if (!isTable(section)) {
    root.problem('retention', 'must be a table of named policies, e.g. [retention.default]');
    return policies;
  }
  for (const [name, body] of Object.entries(section)) {
    if (hasControl(name)) {
      problems.push({ path: ['retention'], message: `the policy name ${JSON.stringify(name)} holds a control character` });
      continue;
    }
    if (!isTable(body)) {
      problems.push({ path: ['retention', name], message: 'must be a table ([retention.NAME] with keep_last, daily, …)' });
      continue;
    }
    policies.set(name, readPolicy(new TableReader(body, ['retention', name], problems, POLICY_KEYS)));
  }
  return policies;
}

/**
 * A table's `retention`: a policy name or an inline table; null when absent. A name with no
 * policy, or a value of another type, is a problem (and reads as the default policy).
 */
export function readRetention(r: TableReader, policies: ReadonlyMap<string, Policy>): { retentionName: string; retention: Policy } | null {
  const v = r.get('retention');
  if (v === undefined) return null;
  if (isTable(v)) return { retentionName: '(inline)', retention: readPolicy(r.subtable('retention', POLICY_KEYS)) };
  if (typeof v === 'string') {
    const p = policies.get(v);
    if (p) return { retentionName: v, retention: p };
    r.problem('retention', `no policy ${JSON.stringify(v)} (defined: ${[...policies.keys()].join(', ')}); add [retention.${v}]`);
  } else {
    r.problem('retention', 'must be a policy name or an inline table');
  }
  return { retentionName: 'default', retention: policies.get('default')! };
}

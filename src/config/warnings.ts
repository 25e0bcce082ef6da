/** What a config may say but probably should not: `zbk configtest` prints these, and still passes. */
import { keepsByAgeOnly } from '../retention/policy.js';
import type { Config } from './types.js';

export function configWarnings(config: Config): string[] {
  const ageOnly = (where: string) =>
    `${where} keeps by keep_within alone: it counts back from the newest snapshot, so one snapshot named in the future ` +
    '(a wrong clock, a stray --now) makes it give up every real one; ' +
    'add keep_last or daily as well';
  const warnings: string[] = [];
  for (const [name, policy] of config.policies) if (keepsByAgeOnly(policy)) warnings.push(ageOnly(`retention.${name}`));
  for (const job of config.jobs) {
    if (job.retentionName === '(inline)' && keepsByAgeOnly(job.retention)) warnings.push(ageOnly(`job "${job.name}".retention`));
  }
  for (const target of config.targets) {
    if (target.retentionName === '(inline)' && target.retention && keepsByAgeOnly(target.retention)) warnings.push(ageOnly(`target "${target.name}".retention`));
    if (!config.jobs.some((job) => job.replicate.includes(target.name))) {
      warnings.push(`target "${target.name}" is in no job's replicate list: zbk replicate sends it nothing`);
    }
  }
  return warnings;
}

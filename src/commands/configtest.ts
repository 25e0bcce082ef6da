/**
 * `zbk configtest`: load and check the config, schedules included, and each job's
 * password_file (exists, mode 0600 or 0400); 0 or 78. Warnings go to stderr and leave it 0.
 */
import { configFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { configWarnings } from '../config/warnings.js';
import { passwordFileProblem } from '../jobs/preflight.js';
import { counted } from '../util/plural.js';

export async function run(args: CommonArgs): Promise<number> {
  const config = await configFor(args, { schedules: true });
  for (const warning of configWarnings(config)) process.stderr.write(`zbk: warning: ${config.file}: ${warning}\n`);
  const files = (await Promise.all(config.jobs.map(async (job) => {
    const problem = await passwordFileProblem(job);
    return problem === null ? [] : [`job ${job.name}: ${problem}`];
  }))).flat();
  if (files.length > 0) {
    process.stderr.write(`zbk: config error\n${files.map((p) => `${config.file}: ${p}\n`).join('')}`);
    return EXIT.config;
  }
  const policies = counted(config.policies.size, 'retention policy', 'retention policies');
  process.stdout.write(`${config.file}: OK (${counted(config.jobs.length, 'job')}, ${policies})\n`);
  return EXIT.ok;
}

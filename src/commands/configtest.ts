/** `zbk configtest`: load and check the config, schedules included; 0 or 78. */
import { configFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';

export async function run(args: CommonArgs): Promise<number> {
  const config = await configFor(args, { schedules: true });
  const jobs = config.jobs.length;
  process.stdout.write(`${config.file}: OK (${jobs} job${jobs === 1 ? '' : 's'}, ${config.policies.size} retention polic${config.policies.size === 1 ? 'y' : 'ies'})\n`);
  return EXIT.ok;
}

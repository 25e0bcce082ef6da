/** `zbk scrub [POOL]... [--max-age D] [--dry-run]`: start a plain `zpool scrub` on pools that are due. */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import { planScrubs } from '../health/scrub-plan.js';
import { loadMemory, poolsToCheck, readPools } from '../jobs/health.js';
import { durationMs, LENGTH, parseDuration } from '../util/duration.js';

interface ScrubArgs extends CommonArgs {
  readonly pools?: string[];
  readonly maxAge?: string;
  readonly dryRun?: boolean;
}

export async function run(args: ScrubArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args, { optional: true });
  const maxAge = args.maxAge === undefined ? config.scrub.maxAge : parseDuration(args.maxAge, LENGTH);
  if (typeof maxAge === 'string') throw usageError(`--max-age: ${maxAge}`);
  const zfs = zfsFor(config);
  const parsed = await readPools(zfs, poolsToCheck(config, args.pools), config.timezone);
  let code: number = EXIT.ok;
  for (const d of planScrubs(parsed.pools, durationMs(maxAge), now, await loadMemory(config))) {
    if (!d.scrub) {
      process.stdout.write(`${d.pool}: not scrubbed: ${d.reason}\n`);
    } else if (args.dryRun) {
      process.stdout.write(`${d.pool}: would run zpool scrub ${d.pool}: ${d.reason}\n`);
    } else {
      try {
        await zfs.scrub(d.pool);
        process.stdout.write(`${d.pool}: scrub started: ${d.reason}\n`);
      } catch (e) {
        process.stderr.write(`zbk: ${d.pool}: could not start a scrub: ${(e as Error).message}\n`);
        code = EXIT.failed;
      }
    }
  }
  return code;
}

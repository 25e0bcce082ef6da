/** `zbk scrub [POOL]... [--max-age D] [--dry-run]`: start a plain `zpool scrub` on pools that are due. */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit.js';
import { badPoolArgument, poolsToCheck, scrubsDue } from '../jobs/health.js';
import { durationMs, LENGTH, parseDuration } from '../util/duration.js';
import { printable } from '../util/printable.js';

interface ScrubArgs extends CommonArgs {
  readonly pools?: string[];
  readonly maxAge?: string;
  readonly dryRun?: boolean;
}

export async function run(args: ScrubArgs): Promise<number> {
  const now = clock(args);
  const badPool = badPoolArgument(args.pools);
  if (badPool) throw usageError(`scrub: ${printable(badPool)}`);
  const config = await configFor(args, { optional: true });
  const maxAge = args.maxAge === undefined ? config.scrub.maxAge : parseDuration(args.maxAge, LENGTH);
  if (typeof maxAge === 'string') throw usageError(`--max-age: ${maxAge}`);
  const zfs = zfsFor(config);
  const { scrubs } = await scrubsDue(config, zfs, poolsToCheck(config, args.pools), durationMs(maxAge), now);
  let code: number = EXIT.ok;
  const say = (line: string) => process.stdout.write(`${printable(line)}\n`);
  for (const d of scrubs) {
    if (!d.scrub) {
      say(`${d.pool}: not scrubbed: ${d.reason}`);
    } else if (args.dryRun) {
      say(`${d.pool}: would run zpool scrub ${d.pool}: ${d.reason}`);
    } else {
      try {
        await zfs.scrub(d.pool);
        say(`${d.pool}: scrub started: ${d.reason}`);
      } catch (e) {
        process.stderr.write(`zbk: ${printable(`${d.pool}: could not start a scrub: ${(e as Error).message}`)}\n`);
        code = EXIT.failed;
      }
    }
  }
  return code;
}

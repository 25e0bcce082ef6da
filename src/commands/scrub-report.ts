/**
 * `zbk scrub-report [POOL]... [--from-file PATH|-] [--tz ZONE] [--format text|nagios|json|prometheus]
 * [--new-only] [--alert] [--remember] [--output FILE]`: pool health, with what is new since the
 * last report. Exit codes are Nagios's whatever the format.
 *
 * Live, zpool runs with TZ=UTC and its times are read as UTC; a captured output was printed in
 * the zone of the box it came from: the configured `timezone`, or `--tz`.
 *
 * `--from-file` reads a captured output (text or `-j` JSON) instead of running zpool. Its age
 * is unknown, so an overdue scrub is a note there, not a warning; and it is compared with
 * the state only when --new-only, --alert or --remember asks for that. Only those three write
 * the state (zbk(8): the runs that alert, or --remember); a live report reads it.
 */
import { createReadStream } from 'node:fs';
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { ConfigError } from '../config/problems.js';
import { isTimeZone } from '../time/zone.js';
import type { Config } from '../config/types.js';
import { nagiosExitCode } from '../health/alert.js';
import { detectFormat, parse } from '../health/parse.js';
import { hasNewTrouble, type HealthReport } from '../health/report.js';
import type { HealthMemory } from '../health/remembered.js';
import { alertOnNews, badPoolArgument, loadMemory, poolsToCheck, readPools, rememberReport, reportOn, type PoolsRead } from '../jobs/health.js';
import { outputDirProblem } from '../state/dir.js';
import { writeFileAtomic } from '../state/store.js';
import { printable } from '../util/printable.js';

interface ScrubReportArgs extends CommonArgs {
  readonly pools?: string[];
  readonly fromFile?: string;
  readonly tz?: string;
  readonly newOnly?: boolean;
  readonly alert?: boolean;
  readonly remember?: boolean;
  readonly output?: string;
}

/** Bigger than any `zpool status` --from-file is expected to hold (a string holds ~512 MB); the live path has its own limit. */
const FROM_FILE_MAX_BYTES = 256 * 1024 * 1024;

export async function run(args: ScrubReportArgs): Promise<number> {
  const now = clock(args);
  const fromFile = args.fromFile !== undefined;
  const badPool = fromFile ? null : badPoolArgument(args.pools);
  if (badPool) throw usageError(`scrub-report: ${printable(badPool)}`);
  if (args.tz !== undefined && !fromFile) throw usageError('--tz: live zpool output is read in UTC; --tz is for --from-file');
  if (args.tz !== undefined && !isTimeZone(args.tz)) throw usageError(`--tz ${printable(JSON.stringify(args.tz))}: not an IANA time zone (e.g. Europe/Athens, UTC)`);
  const outputProblem = args.output === undefined ? null : await outputDirProblem(args.output);
  if (outputProblem) throw usageError(`--output ${printable(args.output ?? '')}: ${printable(outputProblem)}`);
  const config = await configFor(args, { optional: true });
  // The memory is written only by the runs that alert (or are told to remember), so that a
  // monitoring check every few minutes does not use up what the daily mail calls new.
  const remembering = args.newOnly === true || args.alert === true || args.remember === true;
  const memory = !fromFile || remembering ? await loadMemory(config).catch(unreadableMemory) : null;
  const read = fromFile
    ? captured(await readInput(args.fromFile!), args.tz ?? config.timeZone, args.pools)
    : await readPools(zfsFor(config), poolsToCheck(config, args.pools));
  const report = reportOn(config, read, memory, now, fromFile ? 'note' : 'warning');
  if (!args.newOnly || hasNewTrouble(report)) await emit(await render(report, args.format ?? 'text', now), args.output);
  if (args.alert) {
    const { failed } = await alertOnNews(config, report, now);
    if (failed) process.stderr.write(`zbk: ${printable(failed)}\n`);
  }
  if (memory !== null && remembering) await remember(config, report, memory, now);
  return nagiosExitCode(report.alert);
}

/**
 * The captured output, from a file, a pipe (`<(ssh nas zpool status)`) or stdin, read up to
 * FROM_FILE_MAX_BYTES; what cannot be read is a one-line usage error naming the path.
 */
async function readInput(path: string): Promise<string> {
  const refuse = (why: string) => usageError(`--from-file ${printable(path)}: ${why}`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of path === '-' ? process.stdin : createReadStream(path)) {
      size += (chunk as Buffer).length;
      if (size > FROM_FILE_MAX_BYTES) throw refuse(`more than ${FROM_FILE_MAX_BYTES} bytes, more than zbk reads`);
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw refuse(READ_ERRORS.get(code) ?? printable((e as Error).message));
  }
  return Buffer.concat(chunks).toString('utf8');
}

const READ_ERRORS: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file'],
  ['EISDIR', 'is a directory'],
  ['EACCES', 'permission denied'],
]);

/**
 * A captured output, of the pools named (all when none is). Its form is the one thing guessed: it
 * came from another box, `zpool status` or `zpool status -j`. It carries no `zpool list` capacities.
 */
function captured(input: string, timeZone: string, names: readonly string[] | undefined): PoolsRead {
  const parsed = parse(input, detectFormat(input), timeZone);
  return { parsed: names?.length ? { ...parsed, pools: parsed.pools.filter((p) => names.includes(p.name)) } : parsed, capacities: new Map() };
}

async function render(report: HealthReport, format: string, now: Date): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../health/render/json.js')).renderJson(report);
    case 'nagios':
      return (await import('../health/render/nagios.js')).renderNagios(report, now);
    case 'prometheus':
      return (await import('../health/render/prometheus.js')).renderPrometheus(report, now);
    default:
      return (await import('../health/render/text.js')).renderText(report, now);
  }
}

async function emit(text: string, output: string | undefined): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!output) {
    process.stdout.write(body);
    return;
  }
  await writeFileAtomic(output, body, 0o644).catch((e: NodeJS.ErrnoException) => {
    if (e.code === undefined) throw e;
    throw usageError(`--output ${printable(output)}: ${printable(e.code === 'EISDIR' ? 'is a directory' : e.message)}`);
  });
}

/**
 * A report run by a user who may not read state_dir (a monitoring user's Nagios check) reports
 * without the memory, and says so; a state_dir zbk must not trust is refused all the same.
 */
function unreadableMemory(e: unknown): null {
  if ((e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
  process.stderr.write(`zbk: ${printable(`cannot read the report memory (${(e as Error).message}): nothing is compared with or remembered`)}\n`);
  return null;
}

/**
 * The memory is a convenience: a report run without write access to state_dir still reports.
 * A state_dir zbk must not trust is another matter: refused, exit 78.
 */
async function remember(config: Config, report: HealthReport, memory: HealthMemory, now: Date): Promise<void> {
  try {
    await rememberReport(config, report, memory, now);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    process.stderr.write(`zbk: ${printable(`could not remember this report in ${config.stateDir}: ${(e as Error).message}`)}\n`);
  }
}

/**
 * zbk's command line: yargs wiring only. Each command's module is imported when that
 * command runs, so `zbk scrub-report` does not pay for rsync or cron code at start-up.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { report, usageError } from './cli/errors.js';
import { leftoverProblem } from './cli/leftovers.js';
import { EXIT } from './cli/exit.js';
import { DEFAULT_CONFIG_FILE } from './config/default-path.js';
import { VERSION } from './version.js';

export interface CommandModule {
  run(args: Record<string, unknown>): Promise<number>;
}

const commands: Record<string, () => Promise<CommandModule>> = {
  run: () => import('./commands/run.js'),
  snapshot: () => import('./commands/snapshot.js'),
  prune: () => import('./commands/prune.js'),
  init: () => import('./commands/init.js'),
  list: () => import('./commands/list.js'),
  status: () => import('./commands/status.js'),
  'scrub-report': () => import('./commands/scrub-report.js'),
  scrub: () => import('./commands/scrub.js'),
  daemon: () => import('./commands/daemon.js'),
  configtest: () => import('./commands/configtest.js'),
  check: () => import('./commands/check.js'),
  replicate: () => import('./commands/replicate.js'),
  history: () => import('./commands/history.js'),
  diff: () => import('./commands/diff.js'),
  restore: () => import('./commands/restore.js'),
};

/** Commands whose failure to run at all is Nagios UNKNOWN rather than "failed". */
const NAGIOS_COMMANDS = new Set(['status', 'scrub-report']);

/** Options and positionals that may be given more than once. */
const REPEATABLE = new Set(['job', 'target', 'datasets', 'pools', 'paths']);

async function dispatch(name: string, args: Record<string, unknown>): Promise<void> {
  try {
    const leftover = leftoverProblem(name, args, REPEATABLE);
    if (leftover !== null) throw usageError(leftover);
    const module = await commands[name]!();
    process.exitCode = await module.run(args);
  } catch (e) {
    process.exitCode = report(e, NAGIOS_COMMANDS.has(name) ? EXIT.unknown : EXIT.failed);
  }
}

const jobs = (y: Argv) => y.option('job', { type: 'string', array: true, describe: 'only this job (repeatable)', requiresArg: true });
const oneJob = (y: Argv) => y.option('job', { type: 'string', describe: 'the job', requiresArg: true });
const now = (y: Argv) => y.option('now', { type: 'string', describe: 'use this ISO 8601 instant as the clock', requiresArg: true });
const dryRun = (y: Argv) => y.option('dry-run', { type: 'boolean', describe: 'print what would happen and why; change nothing' });
const format = (choices: string[]) => (y: Argv) =>
  y.option('format', { choices, default: 'text', describe: 'output format', requiresArg: true });
const positional = (name: string, describe: string) => (y: Argv) => y.positional(name, { type: 'string', array: true, describe });

type Build = (y: Argv) => Argv;
const compose = (...fs: Build[]): Build => (y) => fs.reduce((acc, f) => f(acc), y);

const table: Array<[string, string, Build]> = [
  ['run', 'pull each job with rsync, snapshot, prune, record the outcome',
    compose(jobs, now, dryRun, format(['text', 'json']), (y) => y
      .option('all', { type: 'boolean', describe: 'every job (the default when no --job is given)' })
      .option('force', { type: 'boolean', describe: 'allow a --now more than a day after the clock on a dataset with real snapshots' }))],
  ['snapshot [datasets..]', 'take dated snapshots of the jobs\' datasets or the named ones',
    compose(positional('datasets', 'datasets to snapshot'), jobs, now, format(['text', 'json']),
      (y) => y.option('force', { type: 'boolean', describe: 'allow a --now more than a day after the clock on a dataset with real snapshots' }))],
  ['prune [datasets..]', 'destroy zbk snapshots that no retention rule keeps',
    compose(positional('datasets', 'datasets to prune'), jobs, now, dryRun, format(['text', 'json']),
      (y) => y.option('force', { type: 'boolean', describe: 'prune even when a snapshot is named from the future, or --now or the clock is before the newest snapshot' }))],
  ['init', 'create missing job datasets with backup-friendly properties', compose(jobs, dryRun,
    (y) => y.option('adopt', { type: 'boolean', describe: 'mark existing datasets as the jobs\' own (zbk:job), changing nothing else' }))],
  ['list [datasets..]', 'zbk\'s datasets and snapshots with instants and sizes',
    compose(positional('datasets', 'datasets to list (default: every job\'s)'), format(['text', 'json']))],
  ['status', 'per job and target: last success, newest copy, outcome (Nagios exit codes)', compose(format(['text', 'json', 'prometheus']), now)],
  ['scrub-report [pools..]', 'pool health: healed and unhealed errors, scrub age, capacity',
    compose(positional('pools', 'pools to report on (default: [scrub] pools, else all)'), now,
      format(['text', 'nagios', 'json', 'prometheus']),
      (y) => y
        .option('from-file', { type: 'string', describe: 'read a captured `zpool status` (text or -j JSON); - for stdin', requiresArg: true })
        .option('tz', { type: 'string', describe: 'read zone-less times of --from-file in this IANA zone (default: timezone)', requiresArg: true })
        .option('new-only', { type: 'boolean', describe: 'print nothing unless something is new since the last report' })
        .option('alert', { type: 'boolean', describe: 'pipe the report into [alert] command when something new is at warning or above' })
        .option('remember', { type: 'boolean', describe: 'keep this report in the state as the one the next compares with (--from-file)' })
        .option('output', { type: 'string', describe: 'write the report to this file (atomically) instead of stdout', requiresArg: true }))],
  ['scrub [pools..]', 'start scrubs that are due',
    compose(positional('pools', 'pools to consider (default: [scrub] pools, else all)'), dryRun, now,
      (y) => y.option('max-age', { type: 'string', describe: 'scrub when the last one is older than this (default: [scrub] max_age)', requiresArg: true }))],
  ['daemon', 'run the scheduler (for rc.d)',
    (y) => y.option('syslog', { type: 'string', describe: 'log to syslog with logger(1), as this facility (rc.d: daemon)', requiresArg: true })],
  ['configtest', 'validate the config file', (y) => y],
  ['check', 'pre-flight: files, host keys, ssh, source paths, pools and datasets', compose(jobs, format(['text', 'json']))],
  ['replicate', 'send each job\'s new snapshots to its targets (incremental zfs send/receive), then prune the targets',
    compose(jobs, now, dryRun, format(['text', 'json']), (y) => y
      .option('target', { type: 'string', array: true, describe: 'only this target (repeatable)', requiresArg: true })
      .option('force', { type: 'boolean', describe: 'roll back a target that changed since the base (destroying what changed there)' }))],
  ['history <path>', 'every distinct version of PATH (as on the host) across the job\'s snapshots',
    compose(oneJob, format(['text', 'json']), (y) => y
      .positional('path', { type: 'string', describe: 'a path on the host, under the job\'s source directory (relative: from there)' })
      .option('checksum', { type: 'boolean', describe: 'tell versions apart by content too (sha256)' })
      .option('deleted', { type: 'boolean', describe: 'only what some snapshot holds and the live dataset no longer does' }))],
  ['diff <from> [to]', 'what was added, removed or modified between two snapshots (TO: the live dataset)',
    compose(oneJob, format(['text', 'json']), (y) => y
      .positional('from', { type: 'string', describe: 'a snapshot name, or an ISO 8601 instant (the newest snapshot at or before it)' })
      .positional('to', { type: 'string', describe: 'likewise; default: the live dataset' }))],
  ['restore <paths..>', 'copy PATH as it was at --at into DIR, or back onto the host over the job\'s transport',
    compose(oneJob, dryRun, format(['text', 'json']), (y) => y
      .positional('paths', { type: 'string', array: true, describe: 'paths on the host, under the job\'s source directory (relative: from there)' })
      .option('at', { type: 'string', describe: 'a snapshot name, or an ISO 8601 instant (the newest snapshot at or before it)', requiresArg: true })
      .option('to', { type: 'string', describe: 'into this directory, laid out as the source directory', requiresArg: true })
      .option('to-source', { type: 'boolean', describe: 'back onto the host, over the job\'s ssh or rsync daemon (or its local path)' })
      .option('whole-source', { type: 'boolean', describe: 'with --to-source: allow the whole source directory as PATH' })
      .option('delete', { type: 'boolean', describe: 'delete what PATH did not hold at --at (never without this)' }))],
];

const helpWidth = () => Math.min(100, process.stdout.columns || 80);

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('zbk')
    .usage('$0 <command> [options]\n\nzbk pulls hosts into ZFS datasets with rsync --inplace, keeps dated snapshots\non a retention policy and reports on pool health. See zbk(8).')
    .option('config', { type: 'string', describe: `config file (default: $ZBK_CONFIG, else ${DEFAULT_CONFIG_FILE})`, requiresArg: true, global: true })
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    // yargs lays out the whole help text after every command, just in case; laid out for a
    // terminal's width that costs ~20 ms of start-up, so only help that is shown gets a width.
    .wrap(argv.includes('--help') || argv.includes('-h') ? helpWidth() : null)
    .fail((msg, err, y) => {
      // yargs' own complaints about the command line (an option with no value) come as a
      // YError: a usage error like the others. Anything else is a bug, and fails loudly.
      if (err && err.name !== 'YError') throw err;
      y.wrap(helpWidth());
      y.showHelp((s: string) => process.stderr.write(`${s}\n`));
      process.stderr.write(`\nzbk: ${msg ?? err?.message}\n`);
      process.exit(EXIT.usage);
    });
  for (const [spec, describe, build] of table) {
    const name = spec.split(' ', 1)[0]!;
    cli = cli.command(spec, describe, build, (args) => dispatch(name, args as Record<string, unknown>));
  }
  // yargs also lays out the help text each time a command starts (~10 ms, with ICU's
  // Intl.Segmenter), kept for a failure after the handler; zbk's handlers catch their own
  // errors (dispatch) and never show help, so it is laid out only when shown.
  (cli as unknown as YargsInternals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  await cli.parseAsync();
}

/** The one internal of yargs used here (yargs/build/lib/usage.js). */
interface YargsInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage: () => void } };
}

// Not a top-level await: the installed bundle is a script (CommonJS) that node runs from its
// V8 code cache (scripts/code-cache.mjs); a rejection still ends node with the error, exit 1.
void main(hideBin(process.argv));

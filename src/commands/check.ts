/**
 * `zbk check [--job N]... [--format text|json]`: the pre-flight. One line per check, `ok`,
 * `WARN` or `FAIL` with the fix; exit 0 all ok, 1 warnings, 2 a failure, 78 a config error.
 */
import { homedir } from 'node:os';
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { performChecks } from '../check/perform.js';
import { exitCodeOf, type Result } from '../check/plan.js';
import { selectJobs } from '../cli/targets.js';
import { zbkUid } from '../util/trust.js';

const LABEL = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export async function run(args: CommonArgs): Promise<number> {
  const config = await configFor(args, { schedules: true });
  const jobs = selectJobs(config, args.job);
  const text = args.format !== 'json';
  const results = await performChecks({
    config, jobs, zfs: zfsFor(config), home: homedir(), uid: zbkUid(),
    ...(text ? { onResult: (r: Result) => process.stdout.write(`${LABEL[r.status]} ${r.job ?? 'config'}: ${r.message}\n`) } : {}),
  });
  const count = (s: Result['status']) => results.filter((r) => r.status === s).length;
  if (text) {
    process.stdout.write(`${jobs.length} job${jobs.length === 1 ? '' : 's'}: ${count('ok')} ok, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('fail')} failed\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ checks: results, ok: count('ok'), warnings: count('warn'), failed: count('fail') })}\n`);
  }
  return exitCodeOf(results);
}

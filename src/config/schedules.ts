/** Cron expressions (5 or 6 fields) checked with cron-parser, loaded only when asked for. */
import type { Problem } from './problems.js';
import type { Config } from './types.js';

export async function scheduleProblems(config: Config): Promise<Problem[]> {
  const { CronExpressionParser } = await import('cron-parser');
  const problems: Problem[] = [];
  const check = (expr: string, path: (string | number)[]): void => {
    const fields = expr.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      problems.push({ path, message: `"${expr}" has ${fields} fields; a schedule has 5 (min hour day month weekday) or 6 (seconds first)` });
      return;
    }
    try {
      CronExpressionParser.parse(expr, { tz: config.timeZone, strict: false });
    } catch (e) {
      problems.push({ path, message: `"${expr}" is not a cron expression: ${(e as Error).message}` });
    }
  };
  config.jobs.forEach((job, i) => check(job.schedule, ['job', i, 'schedule']));
  config.targets.forEach((target, i) => {
    if (target.schedule !== null) check(target.schedule, ['target', i, 'schedule']);
  });
  check(config.scrub.schedule, ['scrub', 'schedule']);
  return problems;
}

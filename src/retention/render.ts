import { counted } from '../util/plural.js';
import { wrap, wrapItems } from '../util/wrap.js';
import { isoSeconds } from '../time/iso.js';
import { calendarIn, type Calendar } from './calendar.js';
import type { Plan, PlannedSnapshot } from './plan.js';

/** One dataset's plan, as `zbk prune --dry-run` shows it. */
interface DatasetPlan {
  readonly dataset: string;
  readonly plan: Plan;
  /** Why a real prune would destroy nothing, or null; left out where nobody asked. */
  readonly refused?: string | null;
}

const WIDTH = 80;
const ACTION_WIDTH = 'DESTROY'.length;
const KEPT = '▮';
const DESTROYED = '·';
const NO_SNAPSHOT = ' ';
/** Day numbers over the timeline's columns, each starting in its day's column. */
const DAY_RULER = '1   5    10   15   20   25   30';

/** One dataset's entry in the JSON of zbk(8), then `refused` when given; callers may add keys after these. */
export function planJson({ dataset, plan, refused }: DatasetPlan) {
  return {
    dataset,
    snapshots: plan.snapshots.map(({ name, time, action, reasons }) => ({ name, time: isoSeconds(time), action, reasons })),
    foreign: plan.foreign,
    ...(refused === undefined ? {} : { refused }),
  };
}

/** The JSON of zbk(8) (`zbk prune --dry-run --format json`), without a trailing newline. */
export function renderPlanJson(datasets: readonly DatasetPlan[]): string {
  return JSON.stringify({ datasets: datasets.map(planJson) });
}

/**
 * The text of `zbk prune --dry-run`, for 80 columns and without a trailing newline: per dataset,
 * why a real prune would refuse (then it destroys nothing), every zbk snapshot newest first
 * with KEEP or DESTROY and why, a timeline of the days with kept snapshots month by month (days
 * of `timeZone`, the policy's zone), and the foreign snapshots left alone.
 */
export function renderPlanText(datasets: readonly DatasetPlan[], timeZone: string): string {
  const calendar = calendarIn(timeZone);
  return datasets.map(({ dataset, plan, refused }) => datasetText(dataset, plan, refused ?? null, calendar)).join('\n\n');
}

/** Lines are joined, never spread into a call: a dataset may hold more snapshots than a call takes arguments. */
function datasetText(dataset: string, plan: Plan, refused: string | null, calendar: Calendar): string {
  const kept = plan.snapshots.filter((snapshot) => snapshot.action === 'keep').length;
  const foreign = plan.foreign.length > 0 ? `; ${plan.foreign.length} foreign left alone` : '';
  const sections = [
    `${dataset}: ${counted(plan.snapshots.length, 'zbk snapshot')}, keep ${kept}, destroy ${plan.snapshots.length - kept}${foreign}`,
  ];
  if (refused) sections.push(wrap(`  A real prune would refuse: ${refused}`, '    ', WIDTH - 1));
  if (plan.snapshots.length > 0) {
    sections.push(snapshotLines(plan.snapshots).join('\n'), '', timeline(plan.snapshots, calendar).join('\n'));
  }
  if (plan.foreign.length > 0) {
    sections.push('', '  Foreign snapshots, left alone:', plan.foreign.map((name) => `    ${name}`).join('\n'));
  }
  return sections.join('\n');
}

function snapshotLines(snapshots: readonly PlannedSnapshot[]): string[] {
  const nameWidth = snapshots.reduce((width, { name }) => Math.max(width, name.length), 0);
  const reasonsColumn = 2 + ACTION_WIDTH + 2 + nameWidth + 2;
  return snapshots.map(({ name, action, reasons }) => {
    const first = `  ${action.toUpperCase().padEnd(ACTION_WIDTH)}  ${name.padEnd(nameWidth)}  `;
    return wrapItems(reasons, ' '.repeat(reasonsColumn), { width: WIDTH, separator: ', ', first }).trimEnd();
  });
}

interface Month {
  readonly days: string[];
  kept: number;
  destroyed: number;
}

/** One row per month that has snapshots, oldest first: a column per day, ▮ when one is kept. */
function timeline(snapshots: readonly PlannedSnapshot[], calendar: Calendar): string[] {
  const months = new Map<string, Month>();
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const { time, action } = snapshots[i]!;
    const local = calendar.localDate(time.getTime());
    const label = `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}`;
    let month = months.get(label);
    if (!month) {
      month = { days: Array<string>(31).fill(NO_SNAPSHOT), kept: 0, destroyed: 0 };
      months.set(label, month);
    }
    const day = local.day - 1;
    if (action === 'keep') {
      month.kept++;
      month.days[day] = KEPT;
    } else {
      month.destroyed++;
      if (month.days[day] === NO_SNAPSHOT) month.days[day] = DESTROYED;
    }
  }
  const header = `  Kept by day, ${calendar.timeZone} (${KEPT} kept, ${DESTROYED} all destroyed):`;
  const ruler = `  ${' '.repeat('YYYY-MM'.length)}  ${DAY_RULER}`;
  const rows = [...months].map(
    ([label, { days, kept, destroyed }]) => `  ${label}  ${days.join('')}  ${kept} kept, ${destroyed} destroyed`,
  );
  return [header, ruler, ...rows];
}

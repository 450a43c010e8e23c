import { formatMoney } from "./money.js";
import { type Budget, WORKSPACE_FILE } from "./schema.js";

export interface BudgetCheckInput {
  project: string;
  /** The project's limits; undefined when it has none. */
  budget: Budget | undefined;
  spentToday: number;
  spentThisMonth: number;
  /** The most the job may cost (an estimateCost result fits); undefined when it is unpriced. */
  estimate: { value: number; formula?: string } | undefined;
  currency: string;
  /** The settings file named in the advice; default pipeline.workspace.yaml. */
  settingsFile?: string;
}

export interface BudgetCheck {
  allowed: boolean;
  /** The job would bring a period to 80 % of its budget or more (or its cost is unknown). */
  warn: boolean;
  message: string;
  leftToday?: number;
  leftThisMonth?: number;
}

const WARN_AT = 0.8;
// Spend is summed from many float costs; a job that lands exactly on the limit must not be refused.
const EPSILON = 1e-9;

interface Period {
  name: "daily" | "monthly";
  limit: number;
  spent: number;
  left: number;
  resets: string;
}

/**
 * Whether a job may start (or be queued) within its project's budgets: refused when spent + estimate
 * would exceed the daily or the monthly limit, warned at 80 %. Periods are UTC days and months (see
 * periodStarts). A job with no price is let through with a warning: its cost cannot be checked.
 */
export function checkBudget(input: BudgetCheckInput): BudgetCheck {
  const periods = periodsOf(input);
  const left = {
    leftToday: periods.find((p) => p.name === "daily")?.left,
    leftThisMonth: periods.find((p) => p.name === "monthly")?.left,
  };
  const head = `project ${input.project}:`;
  const money = (value: number) => formatMoney(value, input.currency);
  if (periods.length === 0) {
    const cost = input.estimate
      ? `the job may cost up to ${costText(input, money)}`
      : "the job's cost is unknown";
    return { allowed: true, warn: false, message: `${head} ${cost}; the project has no budget`, ...left };
  }
  if (!input.estimate) return unpriced(input, periods, left, head, money);

  const after = (p: Period) => p.spent + input.estimate!.value;
  const over = periods.filter((p) => after(p) > p.limit + EPSILON);
  const cost = `the job may cost up to ${costText(input, money)}`;
  if (over.length > 0) {
    const file = input.settingsFile ?? WORKSPACE_FILE;
    const keys = over.map((p) => `budgets.${input.project}.${p.name}`).join(" and ");
    const why = over.map((p) => `only ${leftText(p, money)} (${p.resets})`).join(" and ");
    const advice = `lower --max-hours or --gpus, or raise ${keys} in ${file}`;
    return { allowed: false, warn: true, message: `${head} ${cost} but ${why}; ${advice}`, ...left };
  }
  const near = periods.filter((p) => after(p) >= WARN_AT * p.limit);
  if (near.length > 0) {
    const share = (p: Period) => Math.round(p.limit > 0 ? (after(p) / p.limit) * 100 : 100);
    const why = near.map((p) => `${share(p)} % of the ${p.name} budget of ${money(p.limit)}`).join(" and ");
    return { allowed: true, warn: true, message: `${head} ${cost}; with it ${why} would be spent`, ...left };
  }
  const rest = periods.map((p) => leftText(p, money)).join(" and ");
  return { allowed: true, warn: false, message: `${head} ${cost}; ${rest}`, ...left };
}

function periodsOf(input: BudgetCheckInput): Period[] {
  const periods: Period[] = [];
  const add = (name: Period["name"], limit: number | undefined, spent: number, resets: string) => {
    if (limit !== undefined) periods.push({ name, limit, spent, left: Math.max(0, limit - spent), resets });
  };
  add("daily", input.budget?.daily, input.spentToday, "resets at 00:00 UTC");
  add("monthly", input.budget?.monthly, input.spentThisMonth, "resets on the 1st at 00:00 UTC");
  return periods;
}

// A job with no price cannot be checked against what is left; it is refused only when nothing is left.
function unpriced(
  input: BudgetCheckInput,
  periods: Period[],
  left: Pick<BudgetCheck, "leftToday" | "leftThisMonth">,
  head: string,
  money: (value: number) => string,
): BudgetCheck {
  const file = input.settingsFile ?? WORKSPACE_FILE;
  const fix = `add a rate for its device under rates: (or set default_rate) in ${file}`;
  const spent = periods.filter((p) => p.left <= EPSILON);
  if (spent.length > 0) {
    const why = spent
      .map((p) => `the ${p.name} budget of ${money(p.limit)} is spent (${p.resets})`)
      .join(" and ");
    return {
      allowed: false,
      warn: true,
      message: `${head} ${why}; the job's cost is unknown too (${fix})`,
      ...left,
    };
  }
  const rest = periods.map((p) => leftText(p, money)).join(" and ");
  const message = `${head} the job's cost is unknown, so it cannot be checked against the budget (${rest}); ${fix}`;
  return { allowed: true, warn: true, message, ...left };
}

function costText(input: BudgetCheckInput, money: (value: number) => string): string {
  const { value, formula } = input.estimate!;
  return formula ? `${money(value)} (${formula})` : money(value);
}

function leftText(p: Period, money: (value: number) => string): string {
  return `${money(p.left)} of the ${p.name} budget of ${money(p.limit)} is left`;
}

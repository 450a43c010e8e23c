import {
  checkBudget,
  estimateCost,
  formatMoney,
  periodStarts,
  rateFor,
  type BudgetCheck,
  type CostEstimate,
  type WorkspaceSettings,
} from "../../budget/index.js";
import { listJobs, spendSince, type Db, type Job } from "../../queue/index.js";

export interface Workspace {
  settings: WorkspaceSettings;
  file: string | undefined;
}

/** What a job may cost on this device type; a GPU job queued before any worker took it is priced at the dearest GPU rate. */
export function jobEstimate(
  { settings }: Workspace,
  job: { gpus: number; maxHours: number | null },
  deviceType?: string,
): CostEstimate | undefined {
  const maxHours = job.maxHours ?? settings.jobs.max_hours;
  if (job.gpus <= 0 || deviceType !== undefined) {
    return estimateCost(settings, { gpus: job.gpus, deviceType: deviceType ?? "cpu", maxHours });
  }
  const gpuKeys = Object.keys(settings.rates).filter((key) => key.toLowerCase() !== "cpu");
  const estimates = gpuKeys.map((key) =>
    estimateCost(settings, { gpus: job.gpus, deviceType: key, maxHours }),
  );
  const dearest = estimates
    .filter((e): e is CostEstimate => e !== undefined)
    .sort((a, b) => b.value - a.value)[0];
  return dearest ?? estimateCost(settings, { gpus: job.gpus, deviceType: "", maxHours });
}

/**
 * The budget check of one job: what its project spent today and this month, plus what the other running
 * jobs of the project may still cost (reserved at their estimate, so two workers cannot together overrun).
 */
export function budgetFor(
  db: Db,
  workspace: Workspace,
  job: { project: string; gpus: number; maxHours: number | null; seq?: number },
  now: number,
  deviceType?: string,
): BudgetCheck {
  const { settings } = workspace;
  const { dayStart, monthStart } = periodStarts(new Date(now));
  const reserved = listJobs(db, "running")
    .filter((other: Job) => other.project === job.project && other.seq !== job.seq)
    .reduce((sum, other) => sum + (jobEstimate(workspace, other, deviceType)?.value ?? 0), 0);
  return checkBudget({
    project: job.project,
    budget: settings.budgets[job.project],
    spentToday: spendSince(db, job.project, dayStart.toISOString()) + reserved,
    spentThisMonth: spendSince(db, job.project, monthStart.toISOString()) + reserved,
    estimate: jobEstimate(workspace, job, deviceType),
    currency: settings.currency,
    ...(workspace.file && { settingsFile: workspace.file }),
  });
}

/** Price of device-hours on a device type (a GPU name or `cpu`); undefined when no rate applies. */
export function price(workspace: Workspace, deviceType: string, hours: number) {
  const rate = rateFor(workspace.settings, deviceType);
  return rate && { cost: rate.rate * hours, currency: rate.currency };
}

/** `pipeline status`: each project with a budget or with spend, against its daily and monthly limits. */
export function spendLines(db: Db, workspace: Workspace, now: number) {
  const { settings } = workspace;
  const { dayStart, monthStart } = periodStarts(new Date(now));
  const projects = new Set([...Object.keys(settings.budgets), ...listJobs(db).map((job) => job.project)]);
  const rows = [...projects].sort().map((project) => {
    const budget = settings.budgets[project];
    return {
      project,
      currency: settings.currency,
      today: spendSince(db, project, dayStart.toISOString()),
      month: spendSince(db, project, monthStart.toISOString()),
      daily: budget?.daily ?? null,
      monthly: budget?.monthly ?? null,
    };
  });
  const money = (value: number) => formatMoney(value, settings.currency);
  const against = (spent: number, limit: number | null) =>
    limit === null
      ? money(spent)
      : `${money(spent)} of ${money(limit)} (${Math.round((100 * spent) / limit)} %)`;
  const lines = rows.map(
    (r) =>
      `spend     ${r.project}: today ${against(r.today, r.daily)} · this month ${against(r.month, r.monthly)}`,
  );
  return { json: rows, lines };
}

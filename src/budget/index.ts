// Cost and budgets: the workspace settings file, prices per device-hour, and the budget check a worker
// runs before it queues or starts a job. Pure functions except the loader; the caller sums the spend.
export {
  WorkspaceSettings,
  type Budget,
  type NotifyKind,
  NOTIFY_KINDS,
  WORKSPACE_ENV,
  WORKSPACE_FILE,
  workspaceJsonSchema,
} from "./schema.js";
export { loadWorkspaceSettings, type LoadWorkspaceOptions, type LoadedWorkspace } from "./load-settings.js";
export { rateFor, type Rate } from "./rates.js";
export { estimateCost, type CostEstimate, type EstimateInput } from "./estimate.js";
export { checkBudget, type BudgetCheck, type BudgetCheckInput } from "./check.js";
export { periodStarts } from "./periods.js";
export { formatMoney } from "./money.js";
export { isHttpUrl } from "./http-url.js";

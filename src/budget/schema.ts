import { z } from "zod";
import { MlflowTracking, Tracking, WandbTracking } from "../config/index.js";
import { isHttpUrl } from "./http-url.js";

/**
 * The workspace settings file, `pipeline.workspace.yaml`: prices, budgets, job limits and notifications
 * shared by every job a worker runs. Every key has a default, so the file is optional. Strict, so a
 * misspelt key is an error with its line.
 */
export const WORKSPACE_FILE = "pipeline.workspace.yaml";
export const WORKSPACE_ENV = "PIPELINE_WORKSPACE_CONFIG";

export const NOTIFY_KINDS = ["done", "failed", "budget"] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

const money = z.number().min(0);

const Budget = z
  .strictObject({
    daily: money.optional().describe("the most the project may spend per UTC day"),
    monthly: money.optional().describe("the most the project may spend per UTC calendar month"),
  })
  .describe("a project's spending limits, in the workspace currency; a limit left out is no limit");
export type Budget = z.infer<typeof Budget>;

// The webhook URL is a secret: its problems never echo the value (a custom issue prints no input).
const Webhook = z
  .string()
  .refine((url) => url === "" || isHttpUrl(url), {
    error: "expected an http(s):// URL (the value is not shown: it is a secret)",
  })
  .transform((url) => (url === "" ? undefined : url));

export const WorkspaceSettings = z.strictObject({
  project: z
    .string()
    .min(1)
    .default("default")
    .describe("the project of jobs queued without --project; budgets and cost are kept per project"),
  currency: z.string().min(1).default("USD").describe("the currency of rates and budgets, e.g. USD, EUR"),
  rates: z
    .record(z.string().min(1), money)
    .default({})
    .describe(
      "price per device-hour by device type: each key is matched case-insensitively as a substring of " +
        'the GPU name nvidia-smi reports ("NVIDIA H100 80GB HBM3" matches H100; the longest matching key ' +
        "wins); the key `cpu` prices CPU-only workers",
    ),
  default_rate: money
    .nullable()
    .default(null)
    .describe(
      "price per device-hour when no rate key matches; null leaves such jobs unpriced (cost unknown)",
    ),
  budgets: z
    .record(z.string().min(1), Budget)
    .default({})
    .describe("spending limits per project; a project not listed has none"),
  jobs: z
    .strictObject({
      max_hours: z
        .number()
        .gt(0)
        .default(4)
        .describe("default time limit of a job, in hours; a budget reserves gpus × rate × max_hours"),
    })
    .prefault({})
    .describe("defaults for queued jobs"),
  notify: z
    .strictObject({
      webhook: Webhook.optional().describe(
        "a Slack-compatible incoming webhook URL (secret: write ${PIPELINE_WEBHOOK_URL:-}, never logged); " +
          "empty or left out sends nothing",
      ),
      on: z
        .array(z.enum(NOTIFY_KINDS))
        .default([...NOTIFY_KINDS])
        .describe("the events that are sent: done, failed, budget (a job refused or warned by a budget)"),
    })
    .prefault({})
    .describe("notifications about jobs"),
  tracking: Tracking.optional().describe(
    "experiment tracking defaults of every run (a run config's `tracking:` keys win); see the README",
  ),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** The keys allowed at a path of the workspace file, for "did you mean" hints. */
export function workspaceKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(WorkspaceSettings.shape);
  if (path.length === 1 && path[0] === "jobs") return ["max_hours"];
  if (path.length === 1 && path[0] === "notify") return ["webhook", "on"];
  if (path.length === 1 && path[0] === "tracking") return Object.keys(Tracking.shape);
  if (path.length === 2 && path[0] === "tracking") {
    return Object.keys((path[1] === "mlflow" ? MlflowTracking : WandbTracking).shape);
  }
  if (path.length === 2 && path[0] === "budgets") return Object.keys(Budget.shape);
  return [];
}

export function workspaceJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(WorkspaceSettings, { target: "draft-2020-12", io: "input" }) as Record<
    string,
    unknown
  >;
}

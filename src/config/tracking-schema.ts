import { z } from "zod";

/**
 * `tracking:` — where a run's params, metrics, results and report also go: TensorBoard event files in the run
 * directory, an MLflow tracking server, Weights & Biases. The same block in pipeline.workspace.yaml gives
 * every run its defaults; a run config's keys win, and `false` turns off a system the workspace turns on.
 * Secrets never go here: they come from the environment (MLFLOW_TRACKING_TOKEN, WANDB_API_KEY, …).
 */
const TrackingUri = z
  .string()
  .refine((text) => text === "" || isHttpUri(text), {
    error: "expected the http(s):// URL of an MLflow tracking server, e.g. http://127.0.0.1:5000",
  })
  .refine((text) => text === "" || !hasCredentials(text), {
    // A custom issue prints no input: the credentials in it are not echoed.
    error:
      "credentials do not belong in the URI (it is logged and stored in the run directory); set " +
      "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, in the environment",
  });

export const MlflowTracking = z.strictObject({
  uri: TrackingUri.optional().describe(
    "the tracking server, http(s)://host[:port][/path]; empty: no MLflow (for ${MLFLOW_TRACKING_URI:-})",
  ),
  experiment: z.string().min(1).optional().describe("the experiment runs go to; default `pipeline`"),
});

export const WandbTracking = z.strictObject({
  project: z
    .string()
    .min(1)
    .optional()
    .describe("the W&B project; required once workspace and run are merged"),
  entity: z.string().min(1).optional().describe("the W&B team or user; default your API key's own"),
  mode: z
    .enum(["online", "offline"])
    .optional()
    .describe(
      "online (default): sent as it trains, WANDB_API_KEY from the environment; offline: run files only",
    ),
});

export const Tracking = z
  .strictObject({
    tensorboard: z.boolean().optional().describe("TensorBoard event files in <run dir>/tensorboard"),
    mlflow: z
      .union([z.literal(false), MlflowTracking])
      .optional()
      .describe("an MLflow tracking server (REST API); false: off"),
    wandb: z
      .union([z.literal(false), WandbTracking])
      .optional()
      .describe("Weights & Biases; false: off"),
  })
  .describe("experiment tracking: TensorBoard, MLflow, Weights & Biases (see the README)");
export type Tracking = z.infer<typeof Tracking>;

function isHttpUri(text: string): boolean {
  try {
    const url = new URL(text);
    return ["http:", "https:"].includes(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

function hasCredentials(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== "" || url.password !== "";
  } catch {
    return false;
  }
}

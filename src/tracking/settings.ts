import { loadWorkspaceSettings } from "../budget/index.js";
import type { RunConfig } from "../config/index.js";
import { ConfigError, type Problem, locate } from "../errors/index.js";
import type { Tracking } from "../config/index.js";

/** What a run tracks, once the run config and the workspace defaults are merged and checked. */
export interface TrackingPlan {
  tensorboard: boolean;
  mlflow?: { uri: string; experiment: string };
  wandb?: { project: string; entity?: string; mode: "online" | "offline" };
}

/**
 * The run config with the workspace's tracking defaults merged in (key by key; the run's win, `false` turns a
 * system off), so config.resolved.yaml records what the run tracks and a resume tracks the same. Exit 2 when
 * a system is on but lacks its URI or project in both files.
 */
export async function withWorkspaceTracking(config: RunConfig, configFile: string): Promise<RunConfig> {
  const { settings, file } = await loadWorkspaceSettings();
  const tracking = mergeTracking(config.tracking, settings.tracking);
  const problems = planProblems(tracking, configFile, file);
  if (problems.length > 0) {
    throw new ConfigError("invalid-config", `${configFile}: tracking is not complete`, {
      problems,
      hint: "set the missing key in the run config, or for every run in pipeline.workspace.yaml",
    });
  }
  return tracking === undefined ? config : { ...config, tracking };
}

export function mergeTracking(run?: Tracking, workspace?: Tracking): Tracking | undefined {
  if (!run && !workspace) return undefined;
  const merged: Tracking = {
    tensorboard: run?.tensorboard ?? workspace?.tensorboard,
    mlflow: mergeSystem(run?.mlflow, workspace?.mlflow),
    wandb: mergeSystem(run?.wandb, workspace?.wandb),
  };
  const set = Object.entries(merged).filter(([, value]) => value !== undefined);
  return set.length > 0 ? (Object.fromEntries(set) as Tracking) : undefined;
}

function mergeSystem<T extends object>(run: false | T | undefined, workspace: false | T | undefined) {
  if (run === false || run === undefined) return run ?? workspace;
  return workspace ? { ...workspace, ...run } : run;
}

/** The systems a merged `tracking:` turns on; undefined when it turns on none. */
export function trackingPlan(tracking: Tracking | undefined): TrackingPlan | undefined {
  if (!tracking) return undefined;
  const plan: TrackingPlan = { tensorboard: tracking.tensorboard === true };
  const { mlflow, wandb } = tracking;
  if (mlflow && mlflow.uri) plan.mlflow = { uri: mlflow.uri, experiment: mlflow.experiment ?? "pipeline" };
  if (wandb && wandb.project) {
    plan.wandb = { project: wandb.project, mode: wandb.mode ?? "online" };
    if (wandb.entity) plan.wandb.entity = wandb.entity;
  }
  return plan.tensorboard || plan.mlflow || plan.wandb ? plan : undefined;
}

function planProblems(tracking: Tracking | undefined, configFile: string, workspaceFile?: string): Problem[] {
  const where = workspaceFile
    ? `here nor in ${workspaceFile}`
    : "here (and there is no pipeline.workspace.yaml)";
  const problems: Problem[] = [];
  if (tracking?.mlflow && tracking.mlflow.uri === undefined) {
    problems.push({
      location: locate(configFile, undefined, "tracking.mlflow.uri"),
      message: `MLflow is on but its URI is set neither ${where}; e.g. uri: http://127.0.0.1:5000`,
    });
  }
  if (tracking?.wandb && tracking.wandb.project === undefined) {
    problems.push({
      location: locate(configFile, undefined, "tracking.wandb.project"),
      message: `W&B is on but its project is set neither ${where}`,
    });
  }
  return problems;
}

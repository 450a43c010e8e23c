import { describe, expect, it } from "vitest";
import { mergeTracking, trackingPlan } from "./settings.js";

describe("mergeTracking", () => {
  const workspace = {
    tensorboard: true,
    mlflow: { uri: "http://mlflow.internal:5000", experiment: "team" },
    wandb: { project: "team", mode: "offline" as const },
  };

  it("gives a run the workspace's systems, its own keys winning key by key", () => {
    const merged = mergeTracking({ mlflow: { experiment: "mine" } }, workspace);
    expect(trackingPlan(merged)).toEqual({
      tensorboard: true,
      mlflow: { uri: "http://mlflow.internal:5000", experiment: "mine" },
      wandb: { project: "team", mode: "offline" },
    });
  });

  it("turns a system off with false, or MLflow with an empty URI", () => {
    const merged = mergeTracking({ tensorboard: false, wandb: false, mlflow: { uri: "" } }, workspace);
    expect(trackingPlan(merged)).toBeUndefined();
  });

  it("tracks nothing without either file's tracking block, and defaults the rest", () => {
    expect(mergeTracking(undefined, undefined)).toBeUndefined();
    expect(trackingPlan({ mlflow: { uri: "http://h:1" }, wandb: { project: "p" } })).toEqual({
      tensorboard: false,
      mlflow: { uri: "http://h:1", experiment: "pipeline" },
      wandb: { project: "p", mode: "online" },
    });
  });
});

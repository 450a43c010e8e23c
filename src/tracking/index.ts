// The tracking stage: a run's params, metrics, results and report in TensorBoard, MLflow and W&B, fed from the
// trainer's event stream on the orchestrator's side (every runtime), with events.jsonl as the source of truth.
export { Tracking } from "../config/index.js";
export { type Tracker, type TrackerInputs, startTracking } from "./tracker.js";
export { type TrackingPlan, trackingPlan, mergeTracking, withWorkspaceTracking } from "./settings.js";
export { configParams } from "./params.js";
export { trackingPython } from "./local/python.js";

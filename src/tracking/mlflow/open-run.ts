import { SinkError } from "../feeder.js";
import { MlflowError, type MlflowClient } from "./client.js";

export interface MlflowRun {
  experimentId: string;
  runId: string;
  artifactUri: string;
}

interface RunInfo {
  run: { info: { run_id: string; experiment_id: string; artifact_uri: string; lifecycle_stage?: string } };
}

/**
 * The MLflow run this run writes to: the one tracking.json names (a resumed run continues it, set RUNNING
 * again), else a new one in the experiment (made when missing).
 */
export async function openRun(
  client: MlflowClient,
  options: { experiment: string; runId?: string; runName: string; tags: Record<string, string> },
): Promise<MlflowRun> {
  if (options.runId) {
    const existing = await getRun(client, options.runId);
    if (existing) {
      await client.post("runs/update", { run_id: existing.runId, status: "RUNNING" });
      return existing;
    }
  }
  const experimentId = await experimentIdFor(client, options.experiment);
  const created = await client.post<RunInfo>("runs/create", {
    experiment_id: experimentId,
    run_name: options.runName,
    start_time: Date.now(),
    tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })),
  });
  return toRun(created);
}

async function getRun(client: MlflowClient, runId: string): Promise<MlflowRun | undefined> {
  try {
    const found = await client.get<RunInfo>("runs/get", { run_id: runId });
    return found.run.info.lifecycle_stage === "deleted" ? undefined : toRun(found);
  } catch (error) {
    // The server lost it (a new store, a deleted run): a new run, rather than nothing at all.
    if (error instanceof MlflowError && error.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
    throw error;
  }
}

async function experimentIdFor(client: MlflowClient, name: string): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const { experiment } = await client.get<{
        experiment: { experiment_id: string; lifecycle_stage: string };
      }>("experiments/get-by-name", { experiment_name: name });
      if (experiment.lifecycle_stage === "deleted") {
        throw new SinkError(
          `experiment "${name}" was deleted; restore it in MLflow or set tracking.mlflow.experiment`,
          true,
        );
      }
      return experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowError && error.code === "RESOURCE_DOES_NOT_EXIST")) throw error;
    }
    try {
      return (await client.post<{ experiment_id: string }>("experiments/create", { name })).experiment_id;
    } catch (error) {
      // Another run made it at the same moment: read it again.
      if (!(error instanceof MlflowError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
    }
  }
  throw new SinkError(`experiment "${name}" could be neither found nor made`, false);
}

function toRun({ run: { info } }: RunInfo): MlflowRun {
  return { experimentId: info.experiment_id, runId: info.run_id, artifactUri: info.artifact_uri };
}

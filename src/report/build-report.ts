import { join, relative } from "node:path";
import { listCheckpoints } from "../checkpoints/index.js";
import { computeCost } from "./cost.js";
import { readDatasets } from "./datasets.js";
import { Report, REPORT_VERSION, type Gate, type Outcome, type StoreOutcome, type Suite } from "./schema.js";
import { readEvents, readRecordFile, type RunRecord, runDirPaths } from "../run-dir/index.js";
import { summarizeTraining } from "./training-summary.js";

/** Examples per suite where base and adapter disagree: enough to judge, short enough to read. */
export const MAX_DISAGREEMENTS = 8;

export interface ReportInputs {
  runDir: string;
  runId: string;
  configFile: string;
  configHash: string;
  baseModel: string;
  /** The commit a hub base model resolved to. */
  baseModelRevision?: string;
  runtime: string;
  /** How the run itself ended; gates then decide between passed and gates-failed. */
  status: "done" | "failed" | "interrupted";
  message?: string | null;
  suites: Suite[];
  gates: Gate[];
  /** null or undefined: no price configured, no cost section. */
  pricePerGpuHour?: number | null;
  currency?: string;
  /** GPUs the trainer used; 0 on CPU. */
  gpus: number;
  createdAt?: string;
  finishedAt?: string;
  /** What reached the run's s3:// store and what did not; null with a local store. */
  store?: StoreOutcome | null;
  /** eval.compare_to, when set. */
  champion?: { source: string; run_id: string | null } | null;
}

/** Gathers a run's report from its directory (events.jsonl, data manifests, checkpoints) and the eval results. */
export async function buildReport(inputs: ReportInputs): Promise<Report> {
  const events = await readEvents(runDirPaths(inputs.runDir).events);
  const record = await readRecordFile(runDirPaths(inputs.runDir).record).catch(() => undefined);
  const training = withInitAdapter(summarizeTraining(events), record?.initAdapter);
  const checkpoints = await listCheckpoints(join(inputs.runDir, "checkpoints"), { hash: false });
  const firstEvent = events[0] ? new Date(events[0].time * 1000).toISOString() : undefined;
  return Report.parse({
    version: REPORT_VERSION,
    run_id: inputs.runId,
    created_at: inputs.createdAt ?? record?.createdAt ?? firstEvent ?? now(),
    finished_at: inputs.finishedAt ?? now(),
    config: { file: inputs.configFile, hash: inputs.configHash },
    base_model: inputs.baseModel,
    ...(inputs.baseModelRevision ? { base_model_revision: inputs.baseModelRevision } : {}),
    runtime: inputs.runtime,
    outcome: {
      status: outcome(inputs.status, inputs.gates, inputs.store),
      message: inputs.message ?? notStoredMessage(inputs.store),
    },
    datasets: await readDatasets(join(inputs.runDir, "data")),
    training,
    checkpoints: checkpoints.map((c) => ({
      step: c.step,
      path: relative(inputs.runDir, c.path),
      complete: c.complete,
    })),
    suites: inputs.suites.map((s) => ({ ...s, disagreements: s.disagreements.slice(0, MAX_DISAGREEMENTS) })),
    gates: inputs.gates,
    cost: computeCost(training?.wall_time_s ?? 0, inputs.gpus, inputs.pricePerGpuHour, inputs.currency),
    champion: inputs.champion ?? null,
    store: inputs.store ?? null,
  });
}

export function outcome(status: ReportInputs["status"], gates: Gate[], store?: StoreOutcome | null): Outcome {
  if (status !== "done") return status;
  // Trained, but not safe: what the store lacks is only on this machine's disk.
  if (store && store.not_stored.length > 0) return "not-stored";
  return gates.every((g) => g.passed) ? "passed" : "gates-failed";
}

function notStoredMessage(store: StoreOutcome | null | undefined): string | null {
  if (!store || store.not_stored.length === 0) return null;
  return `not stored in ${store.uri}: ${store.not_stored.map((n) => `${n.what} (${n.error})`).join(", ")}`;
}

const now = () => new Date().toISOString();

/** The adapter the run was trained on top of (run.json: training.init_adapter and the copy's sha256). */
function withInitAdapter<T extends object>(training: T | null, init: RunRecord["initAdapter"]): T | null {
  return training && init ? { ...training, init_adapter: init } : training;
}

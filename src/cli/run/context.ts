import type { RunConfig } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import type { ExactMatchComparison, GateResult, Suite, SuiteResult } from "../../eval/index.js";
import type { RunPaths, TrainOutcome } from "../../launch/index.js";
import type { UploadResult } from "../../checkpoints/index.js";
import type { EngineInfo } from "../../launch/docker/index.js";
import type { HubBaseModel } from "../../hub/index.js";

/** What the `pipeline run` stages hand to each other. */
export interface RunContext {
  configFile: string;
  config: RunConfig;
  configHash: string;
  paths: RunPaths;
  resume: boolean;
  createdAt: string;
  json: boolean;
  trainFile?: string;
  evalFile?: string | null;
  python?: string;
  /** The trainer image's id (docker runtime), recorded in run.json. */
  imageId?: string;
  /** The Docker engine the run resolved once at preflight: where it is, and whether it is remote. */
  engine?: EngineInfo;
  baseModel?: string;
  /** A base model from the Hub: the commit it resolved to, its facts and the snapshot trained on. */
  hubModel?: HubBaseModel;
  spec?: TrainSpec;
  outcome?: TrainOutcome;
  baseEvalLoss?: number;
  exactMatch?: ExactMatchComparison;
  /** The config's eval suites, loaded and checked before anything runs. */
  suites?: Suite[];
  suiteResults?: SuiteResult[];
  gateResults?: GateResult[];
  /** GPUs the trainer ran on (0 on CPU), for the report's cost. */
  gpus?: number;
  /** Where the report landed (report.html beside report.json and report.md). */
  reportPath?: string;
  startedAt: number;
  /** What the background uploader put in (or failed to put in) an s3:// checkpoint store. */
  uploads?: UploadResult[];
}

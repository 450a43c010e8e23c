import type { RunConfig } from "../config/index.js";
import type { TrainSpec } from "../config/train-spec.js";
import type { UploadResult } from "../checkpoints/index.js";
import type { HubBaseModel } from "../hub/index.js";
import type { ExactMatchComparison, GateResult, Suite, SuiteResult } from "../eval/index.js";
import type { Placement, Runtime, TrainerEvent, TrainOutcome } from "../launch/index.js";
import type { RunPaths } from "../run-dir/index.js";
import type { Tracker } from "../tracking/index.js";
import type { Champion } from "./champion.js";
import type { InitAdapterRecord } from "./init-adapter/index.js";

/** What a run is before any stage runs: its config, directory and runtime. Fixed for the whole run. */
export interface RunSetup {
  configFile: string;
  config: RunConfig;
  configHash: string;
  paths: RunPaths;
  /** A resumed run skips the data stages: its formatted splits must not change under a resumed optimizer. */
  resume: boolean;
  createdAt: string;
  startedAt: number;
  /** The config's eval suites, loaded and checked before anything runs. */
  suites: Suite[];
  runtime: Runtime;
  /** eval.compare_to, found before anything runs. */
  champion?: Champion;
}

export interface Splits {
  train: string;
  eval: string | null;
}

/** The adapter a run starts from (training.init_adapter): its record, the run's copy and its LoRA settings. */
export interface InitAdapter extends InitAdapterRecord {
  dir: string;
  lora: TrainSpec["lora"];
}

/** Each stage's typed result, by stage. */
export interface StageResults {
  validate: {
    rows: number;
    /** The format each dataset file was read as, by path: the format step does not validate them again. */
    formats: Record<string, string | null>;
  };
  /** The checkpoint store proven by a test write, read and delete (a store of its own: s3:// or a directory). */
  store: { proven: string };
  model: {
    /** What the trainer loads: a local directory or a hub id. */
    baseModel: string;
    /** The model's own folder when it is on disk (templates read its tokenizer files). */
    modelDir: string | undefined;
    /** A base model from the Hub: the commit it resolved to, its facts and the snapshot trained on. */
    hub: HubBaseModel | undefined;
  };
  placement: Placement;
  format: Splits;
  initAdapter: InitAdapter;
  render: { spec: TrainSpec; resumedFrom: number | null };
  track: { tracker: Tracker | undefined };
  train: { outcome: TrainOutcome; baseEvalLoss: number | undefined; uploads: UploadResult[] | undefined };
  evaluate: { suites: SuiteResult[]; gates: GateResult[]; exactMatch: ExactMatchComparison | undefined };
  report: { html: string };
}

/**
 * A run in progress: its setup and the results of the stages so far. A stage asks for the results it needs
 * with `need`, which is a bug (not a user error) when the stage that makes it has not run.
 */
export class RunState {
  private readonly results: Partial<StageResults> = {};

  constructor(readonly setup: RunSetup) {}

  set<K extends keyof StageResults>(key: K, value: StageResults[K]): void {
    this.results[key] = value;
  }

  need<K extends keyof StageResults>(key: K): StageResults[K] {
    const value = this.results[key];
    if (value === undefined) throw new Error(`run stage order: "${key}" is needed before it was made`);
    return value;
  }

  get<K extends keyof StageResults>(key: K): StageResults[K] | undefined {
    return this.results[key];
  }
}

/** How a stage reports progress: a line of what it is doing, and its title once it knows more. */
export interface Progress {
  output(line: string): void;
  title(text: string): void;
  /** Each trainer event as it arrives (`--json` prints them). */
  event?(event: TrainerEvent): void;
}

/** One step of `pipeline run`: when it runs, and what it makes. */
export interface Stage<K extends keyof StageResults = keyof StageResults> {
  key: K;
  title: string;
  when?: (state: RunState) => boolean;
  run(state: RunState, progress: Progress): Promise<StageResults[K]>;
}

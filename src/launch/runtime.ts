import type { RunConfig } from "../config/index.js";
import type { TrainSpec } from "../config/train-spec.js";
import type { GenerateJob } from "./generate-job.js";
import type { TrainerEvent } from "../run-dir/index.js";

/** What every runtime (local process, docker, ray) gives back once the trainer is started. */
export interface TrainerHandle {
  /** Parsed events from the trainer's stdout, in order; ends when the trainer's stdout closes. */
  events: AsyncIterable<TrainerEvent>;
  /** Resolves when the trainer has exited. */
  wait(): Promise<TrainerExit>;
  /** Asks the trainer to stop (it saves a checkpoint first), then kills it after `graceMs`. */
  cancel(graceMs?: number): Promise<void>;
}

export interface TrainerExit {
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why, when the runtime knows better than the exit code (e.g. a container killed for memory). */
  message?: string;
}

export interface StartOptions {
  specPath: string;
  /** The trainer's stderr (library noise, tracebacks) goes here. */
  logPath: string;
  env?: Record<string, string>;
}

/** What `prepare` is told about the run. */
export interface PrepareInput {
  runId: string;
  /** The run directory on this machine (checkpoints land there on a local run). */
  runDir: string;
  device: "auto" | "cpu" | "cuda";
  /** The base model as the trainer will load it: a local directory or a hub id. */
  baseModel: string;
  /** Local input files and folders (datasets, a local base model): a remote engine gets copies of them. */
  inputs: string[];
  /** The run's checkpoint store: a cluster runtime moves inputs and outputs through it. */
  checkpoints?: RunConfig["checkpoints"];
  /** How several training processes share the model (training.strategy); absent: ddp. */
  strategy?: RunConfig["training"]["strategy"];
  onProgress: (line: string) => void;
}

/** Where a run trains and evaluates, as its record and report keep it. */
export interface Placement {
  runtime: string;
  /** One line for the progress output and the run record, e.g. "docker pipeline-trainer:1 on ssh://gpu-box". */
  where: string;
  /** The GPU indices the trainer uses; [] on the CPU. */
  gpus: number[];
  /** The trainer image and its id (container runtimes). */
  image?: { name: string; id: string };
  /** The endpoint of the engine or cluster (remote runtimes). */
  endpoint?: string;
  /** The interpreter (the local runtime). */
  python?: string;
  /** Where evaluation generates, when not exactly `where` (a cluster evaluates on one worker). */
  evaluatedOn?: string;
  /** The trainer writes checkpoints and the adapter to the store itself (a cluster): the run uploads neither. */
  outputsInStore?: boolean;
}

export interface TrainRequest extends StartOptions {
  spec: TrainSpec;
  runDir: string;
  checkpoints?: RunConfig["checkpoints"];
}

/**
 * One place a run trains and evaluates: a local process, a Docker engine (this machine's or another's), a Ray
 * cluster. `prepare` checks everything it needs before any data is formatted and says where the run will be;
 * `train` starts the trainer on the rendered spec; `generate` runs an evaluation job on the same machine and
 * GPUs (on a cluster: one of its workers), leaving its generations in the job's files. Registered by `runtime.type` (registry.ts).
 */
export interface Runtime {
  prepare(input: PrepareInput): Promise<Placement>;
  train(request: TrainRequest): Promise<TrainerHandle>;
  generate(job: GenerateJob): Promise<void>;
}

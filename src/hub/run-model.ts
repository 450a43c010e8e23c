import { discoverGpus } from "../queue/gpus.js";
import { worldSize, type RunConfig } from "../config/index.js";
import { hubAccess } from "./access.js";
import type { MemoryPlan } from "./memory.js";
import { parseModelRef, type HubRef } from "./model-ref.js";
import { checkFit, modelFacts, type GpuInfo, type ModelFacts } from "./preflight.js";
import { pullModel } from "./pull.js";
import { checkFileAccess, resolveModel, type ResolvedModel } from "./resolve.js";
import { cachedSnapshot } from "./download.js";
import { hubCacheDir } from "./env.js";
import { snapshotFetch } from "./local-fetch.js";
import { trainingFiles } from "./select-files.js";
import { formatBytes } from "./progress.js";
import { messageOf } from "../errors/index.js";

/** What a run records about a base model from the Hub. */
export interface HubBaseModel {
  id: string;
  revision: string;
  sha: string;
  license: string | undefined;
  /** The snapshot directory the trainer loads. */
  dir: string;
  facts: ModelFacts | undefined;
  downloaded: number;
  total: number;
  warnings: string[];
}

export interface StageOptions {
  onProgress: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** A commit that replaces the config's revision (a resumed run's). */
  pinned?: string;
}

export interface CheckedHubModel {
  ref: HubRef;
  model: ResolvedModel;
  facts: ModelFacts | undefined;
  warnings: string[];
}

/**
 * Resolve and check access, read the parameter count and check the memory estimate against the GPUs
 * (refusing a run that cannot fit). No weights are downloaded: `config validate --preflight` stops here.
 */
export async function checkHubBaseModel(config: RunConfig, options: StageOptions): Promise<CheckedHubModel> {
  const { onProgress, env = process.env, pinned } = options;
  const parsed = parseModelRef(config.base_model)!;
  const ref = pinned ? { ...parsed, revision: pinned } : parsed;
  const access = hubAccess(env);
  onProgress(`resolving ${ref.id}@${ref.revision} on ${access.hubUrl}`);
  const model = await resolveModel(ref, access);
  // A model already in the cache is inspected there: a second run fetches no file bytes at all.
  const cached = await cachedSnapshot(ref, model.sha, trainingFiles(model.files), hubCacheDir(env));
  if (!cached) await checkFileAccess(model, access);
  const warnings: string[] = [];
  const factsAccess = cached ? { ...access, fetch: snapshotFetch(cached) } : access;
  const facts = await modelFacts(model, factsAccess, memoryPlan(config)).catch((error: unknown) => {
    warnings.push(
      `could not read the safetensors headers of ${ref.id} (${messageOf(error)}); no memory estimate`,
    );
    return undefined;
  });
  const gpus = gpusFor(config, env);
  if (typeof gpus === "string" && facts?.estimate) warnings.push(`GPU memory was not checked: ${gpus}`);
  if (facts?.estimate && typeof gpus !== "string") {
    const warning = checkFit(
      facts.estimate,
      config.training.gradient_checkpointing,
      gpus,
      "estimate from the safetensors headers",
    );
    if (warning) warnings.push(warning);
  }
  return { ref, model, facts, warnings };
}

/**
 * The base-model stage for a hub id: the checks above, then the download into the cache. `pinned` (a
 * resumed run's recorded commit) replaces the config's revision, so a branch that moved since the run
 * started does not change the base under its checkpoints.
 */
export async function prepareHubBaseModel(config: RunConfig, options: StageOptions): Promise<HubBaseModel> {
  const { ref, model, facts, warnings } = await checkHubBaseModel(config, options);
  const pulled = await pullModel(ref, options.onProgress, options.env, model);
  return {
    id: ref.id,
    revision: ref.revision,
    sha: model.sha,
    license: model.license,
    dir: pulled.dir,
    facts,
    downloaded: pulled.downloaded,
    total: pulled.total,
    warnings,
  };
}

/** `org/name@abcdef12, 8.03 B params BF16, license llama3.1, 16.1 GB (0 B downloaded)` */
export function describeHubModel(model: HubBaseModel): string {
  const facts = model.facts ? `, ${formatCount(model.facts.parameters)} params ${model.facts.dtype}` : "";
  const license = model.license ? `, license ${model.license}` : "";
  return `${model.id}@${model.sha.slice(0, 8)}${facts}${license}, ${formatBytes(model.total)} (${formatBytes(model.downloaded)} downloaded)`;
}

function formatCount(n: number): string {
  return n >= 1e9
    ? `${(n / 1e9).toFixed(2)} B`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} M`
      : `${(n / 1e3).toFixed(1)} k`;
}

export function memoryPlan(config: RunConfig): MemoryPlan {
  const t = config.training;
  const fp32 = t.precision === "fp32" || (t.precision === "auto" && config.device === "cpu");
  return {
    weightBytes: fp32 ? 4 : 2,
    microBatch: t.micro_batch_size,
    seqLen: t.max_seq_len,
    loraRank: config.lora.r,
    targets: config.lora.target_modules,
    fusedLoss: t.liger_kernels,
    shards: t.strategy === "fsdp" ? worldSize(config.runtime) : 1,
  };
}

/**
 * The GPUs the run will train on, when they can be seen from here (nvidia-smi on this machine, for the
 * local runtime and a local Docker engine), or why not. A CPU run, or an `auto` run on a machine without
 * GPUs, has none to check.
 */
function gpusFor(config: RunConfig, env: NodeJS.ProcessEnv): GpuInfo[] | string {
  if (config.device === "cpu") return [];
  const runtime = config.runtime;
  const remote =
    runtime.type === "docker" &&
    (runtime.host || runtime.context || /^(ssh|tcp|https?):/.test(env.DOCKER_HOST ?? ""));
  if (remote) return "the GPUs of a remote Docker engine are not visible from here";
  const found = discoverGpus();
  if (found) return found;
  return config.device === "cuda" ? "nvidia-smi is not on this machine" : [];
}

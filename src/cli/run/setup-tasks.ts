import { writeFile } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { renderTrainSpec } from "../../config/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { cannotStart } from "../../errors/environment.js";
import { ensurePython, resolveBaseModel } from "../../launch/index.js";
import { dockerPreflight } from "../../launch/docker/index.js";
import { newestComplete } from "../../checkpoints/index.js";
import type { RunContext } from "./context.js";
import { pullNewerCheckpoint } from "./pull-checkpoint.js";

interface TaskLike {
  output: string | undefined;
  title: string;
}

export async function prepareEnvironment(ctx: RunContext, task: TaskLike): Promise<void> {
  const runtime = ctx.config.runtime;
  const local = runtime.type === "local" ? runtime : undefined;
  ctx.python = await ensurePython({
    python: process.env.PIPELINE_PYTHON ?? local?.python,
    venvDir: local?.venv_dir,
    onProgress: (line) => (task.output = line),
  });
  task.title = `Python environment (${ctx.python})`;
}

export async function resolveModel(ctx: RunContext, task: TaskLike): Promise<void> {
  ctx.baseModel = await resolveBaseModel(ctx.config.base_model, ctx.python!, (line) => (task.output = line));
  task.title = `Base model (${ctx.baseModel})`;
}

/**
 * The docker runtime's engine, checked before any data is formatted: daemon reachable, image present, GPUs
 * visible when asked for, free disk on its data root (a remote engine gets copies of the inputs). Decides
 * once whether the engine is remote.
 */
export async function dockerEngine(ctx: RunContext, task: TaskLike): Promise<void> {
  const runtime = ctx.config.runtime;
  if (runtime.type !== "docker") return;
  if (ctx.baseModel && !isAbsolute(ctx.baseModel) && runtime.network === "none") {
    throw new UsageError(
      "docker-hub-model-offline",
      `base_model ${ctx.baseModel} is a hub id, which the container must download, but runtime.network is none`,
      {
        hint:
          "set runtime.network (e.g. bridge, or host) so the container can reach the hub (a token goes in as a " +
          "secret, HF_TOKEN), or point base_model at a local model directory, which is mounted or copied in",
      },
    );
  }
  const inputs = ctx.config.datasets.flatMap((d) => [d.path, ...(d.eval_path ? [d.eval_path] : [])]);
  if (ctx.baseModel && isAbsolute(ctx.baseModel)) inputs.push(ctx.baseModel);
  const checked = await dockerPreflight(runtime, {
    device: ctx.config.device,
    inputs,
    runId: ctx.paths.id,
    onProgress: (line) => (task.output = line),
  });
  ctx.engine = checked.info;
  ctx.imageId = checked.imageId;
  const how = checked.info.remote ? "remote: inputs copied in, outputs copied back" : "local: bind mounts";
  task.title = `Docker engine (${checked.info.endpoint}, ${how})`;
}

export async function renderSpec(ctx: RunContext, task: TaskLike): Promise<void> {
  const resumeFrom = ctx.resume ? await resumePoint(ctx, task) : null;
  ctx.spec = renderTrainSpec(ctx.config, {
    runId: ctx.paths.id,
    runDir: ctx.paths.dir,
    trainPath: ctx.trainFile!,
    evalPath: ctx.evalFile ?? null,
    baseModelPath: ctx.baseModel!,
    resumeFrom,
  });
  await writeFile(ctx.paths.spec, JSON.stringify(ctx.spec, null, 2) + "\n");
  if (!ctx.resume) await writeFile(ctx.paths.resolvedConfig, stringify(ctx.config));
}

/**
 * The newest complete checkpoint of a resumed run (pulled from the store when it has a newer one), or null
 * when there is none: a run killed before its first checkpoint is trained again from step 0 under the same
 * id — what was lost is less than one checkpoint interval, as promised.
 */
async function resumePoint(ctx: RunContext, task: TaskLike): Promise<string | null> {
  await pullNewerCheckpoint(ctx, (line) => (task.output = line));
  const { checkpoint, skipped } = await newestComplete(ctx.paths.checkpoints);
  for (const bad of skipped) {
    task.output = `skipping checkpoint step ${bad.step}: ${bad.reason}`;
    process.stderr.write(`warning: skipping local checkpoint step ${bad.step}: ${bad.reason}\n`);
  }
  if (!checkpoint) {
    process.stderr.write(
      `warning: run ${ctx.paths.id} has no complete checkpoint: training it again from step 0\n`,
    );
    task.title = "Render training spec (no complete checkpoint: restarting from step 0)";
    return null;
  }
  task.title = `Render training spec (resuming from step ${checkpoint.step})`;
  return checkpoint.path;
}

/** Checks the interpreter has the training stack, and a GPU when the config asks for one, before training. */
export async function preflight(ctx: RunContext, task: TaskLike): Promise<void> {
  const runtime = ctx.config.runtime;
  // With runtime docker the engine was checked before formatting (dockerEngine); training runs in the
  // image, but the local venv is still checked here: evaluation generates with it.
  const probe =
    "import json, torch, transformers, peft; print(json.dumps({'torch': torch.__version__, " +
    "'transformers': transformers.__version__, 'peft': peft.__version__, 'cuda': torch.cuda.is_available(), " +
    "'gpus': torch.cuda.device_count() if torch.cuda.is_available() else 0}))";
  const result = await execa(ctx.python!, ["-c", probe], { reject: false });
  if (result.failed) {
    const missing = cannotStart(result);
    if (missing) throw missing;
    // Python's own last line says what is missing (e.g. "No module named 'torch'"); its traceback does not help.
    const reason = String(result.stderr).trim().split("\n").at(-1) ?? "";
    throw new FailedError(
      "preflight",
      `${ctx.python} cannot import torch, transformers and peft (${reason})`,
      {
        hint: "install docker/requirements.txt into it, or remove runtime.python to use the managed venv",
      },
    );
  }
  const found = JSON.parse(String(result.stdout)) as {
    torch: string;
    transformers: string;
    peft: string;
    cuda: boolean;
  };
  if (runtime.type !== "docker" && ctx.config.device === "cuda" && !found.cuda) {
    throw new UsageError("no-gpu", "device is cuda but torch sees no GPU on this machine", {
      hint: "set device: cpu (or auto), or run on a machine with an NVIDIA GPU and a CUDA build of torch",
    });
  }
  // The trainer uses one process per run for now; on CPU no GPU-hours are billed.
  ctx.gpus = ctx.config.device !== "cpu" && found.cuda ? 1 : 0;
  if (runtime.type === "docker")
    ctx.gpus = ctx.config.device === "cpu" || runtime.gpus === "none" ? 0 : gpuCount(runtime.gpus);
  const where = runtime.type === "docker" ? `docker ${runtime.image}, ` : "";
  task.title = `Preflight (${where}torch ${found.torch}, transformers ${found.transformers}, peft ${found.peft}, ${found.cuda ? "GPU" : "CPU"})`;
}

/** GPUs a docker --gpus value asks for (all: at least one is assumed; the report's cost uses it). */
function gpuCount(gpus: string): number {
  if (gpus.startsWith("device=")) return gpus.slice("device=".length).split(",").length;
  return /^[0-9]+$/.test(gpus) ? Number(gpus) : 1;
}

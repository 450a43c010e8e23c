import { writeFile } from "node:fs/promises";
import { dirname, isAbsolute } from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { renderTrainSpec } from "../../config/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { ensurePython, readRecord, resolveBaseModel } from "../../launch/index.js";
import { isHubBaseModel } from "../../launch/base-model.js";
import { describeHubModel, prepareHubBaseModel } from "../../hub/index.js";
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
  if (isHubBaseModel(ctx.config.base_model)) {
    // A resumed run keeps the commit it started from.
    const pinned = ctx.resume
      ? (await readRecord(dirname(ctx.paths.dir), ctx.paths.id)).baseModelRevision
      : undefined;
    ctx.hubModel = await prepareHubBaseModel(ctx.config, {
      onProgress: (line) => (task.output = line),
      pinned,
    });
    for (const warning of ctx.hubModel.warnings) process.stderr.write(`warning: ${warning}\n`);
    ctx.baseModel = ctx.hubModel.dir;
    task.title = `Base model (${describeHubModel(ctx.hubModel)})`;
    return;
  }
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
  const inputs = ctx.config.datasets.flatMap((d) => [d.path, ...(d.eval_path ? [d.eval_path] : [])]);
  if (ctx.baseModel && isAbsolute(ctx.baseModel)) inputs.push(ctx.baseModel);
  const checked = await dockerPreflight(runtime, {
    device: ctx.config.device,
    inputs,
    onProgress: (line) => (task.output = line),
  });
  ctx.engine = checked.info;
  ctx.imageId = checked.imageId;
  const how = checked.info.remote ? "remote: inputs copied in, outputs copied back" : "local: bind mounts";
  task.title = `Docker engine (${checked.info.endpoint}, ${how})`;
}

export async function renderSpec(ctx: RunContext, task: TaskLike): Promise<void> {
  let resumeFrom: string | null = null;
  if (ctx.resume) {
    await pullNewerCheckpoint(ctx, (line) => (task.output = line));
    const { checkpoint, skipped } = await newestComplete(ctx.paths.checkpoints);
    for (const bad of skipped) {
      task.output = `skipping checkpoint step ${bad.step}: ${bad.reason}`;
      process.stderr.write(`warning: skipping local checkpoint step ${bad.step}: ${bad.reason}\n`);
    }
    if (!checkpoint) {
      throw new UsageError(
        "nothing-to-resume",
        `run ${ctx.paths.id} has no complete checkpoint to resume from`,
        {
          hint: "start it again with `pipeline run <config>`; a checkpoint is written every training.save_steps",
        },
      );
    }
    resumeFrom = checkpoint.path;
    task.title = `Render training spec (resuming from step ${checkpoint.step})`;
  }
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

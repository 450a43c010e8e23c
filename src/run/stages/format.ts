import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { RunConfig } from "../../config/index.js";
import {
  chooseTemplate,
  formatFile,
  loadTemplate,
  readRecords,
  validateFile,
  type DatasetReader,
  type TemplateName,
} from "../../dataset/index.js";
import { UsageError } from "../../errors/index.js";
import { stepProgress } from "../../hub/progress.js";
import type { Progress, Splits, Stage } from "../state.js";

/** Formats each dataset into the run directory, then concatenates the splits the trainer reads. */
export async function formatData(
  config: RunConfig,
  dataDir: string,
  model: { baseModel: string; modelDir: string | undefined },
  progress: Progress,
  validated: Record<string, string | null> = {},
): Promise<Splits> {
  const reader = afterValidation(validated, { validateFile, readRecords });
  const trainParts: string[] = [];
  const evalParts: string[] = [];
  for (const [i, dataset] of config.datasets.entries()) {
    const modelDir = templateModelDir(model, dataset.template);
    if (dataset.template === "auto") dataset.template = await autoTemplate(i, modelDir);
    const template = await loadTemplate(dataset.template, { modelDir });
    const outDir = join(dataDir, String(i));
    const common = { format: dataset.format, template, seed: dataset.seed, reasoning: dataset.reasoning };
    progress.output(`formatting ${dataset.path}`);
    const evalFraction = dataset.eval_path ? 0 : dataset.eval_split;
    const onProgress = stepProgress(dataset.path, progress.output);
    await formatFile({ ...common, file: dataset.path, evalFraction, outDir, onProgress }, reader);
    trainParts.push(join(outDir, "train.jsonl"));
    if (dataset.eval_path) {
      const evalDir = join(dataDir, `${i}-eval`);
      const onEvalProgress = stepProgress(dataset.eval_path, progress.output);
      await formatFile(
        { ...common, file: dataset.eval_path, evalFraction: 0, outDir: evalDir, onProgress: onEvalProgress },
        reader,
      );
      evalParts.push(join(evalDir, "train.jsonl"));
    } else if (dataset.eval_split > 0) {
      evalParts.push(join(outDir, "eval.jsonl"));
    }
  }
  return {
    train: await concatenate(trainParts, join(dataDir, "train.jsonl")),
    eval: evalParts.length ? await concatenate(evalParts, join(dataDir, "eval.jsonl")) : null,
  };
}

/**
 * The reader formatFile uses in a run: a file the validate step has just checked in full (with the same format
 * option, and stopped the run had it any invalid row) is not checked again — a run would otherwise read every
 * dataset twice before formatting it.
 */
export function afterValidation(
  validated: Record<string, string | null>,
  reader: DatasetReader,
): DatasetReader {
  return {
    ...reader,
    validateFile: async (path, options) =>
      path in validated ? { format: validated[path]!, errors: [] } : reader.validateFile(path, options),
  };
}

/**
 * A dataset without `template`: the base model's own chat template when it has one, else chatml. The run
 * says which, and the choice replaces `auto` in the resolved config (a resume and the eval use it).
 */
async function autoTemplate(index: number, modelDir: string | undefined): Promise<TemplateName> {
  const choice = await chooseTemplate(modelDir);
  process.stderr.write(`note: datasets[${index}] sets no template: using ${choice.reason}\n`);
  return choice.name;
}

/** Templates read bos/eos (and `model` its chat template) from a local model directory. */
function templateModelDir(model: { baseModel: string; modelDir: string | undefined }, template: string) {
  if (model.modelDir || template !== "model") return model.modelDir;
  throw new UsageError(
    "template-needs-local-model",
    `template "model" needs the base model on disk; ${model.baseModel} is not a local directory`,
    {
      hint: "download the model (e.g. `hf download <id> --local-dir DIR`) and set base_model to that directory, or use template chatml, llama3 or alpaca",
    },
  );
}

/** The trainer always reads data/train.jsonl and data/eval.jsonl, whatever the number of datasets. */
async function concatenate(parts: string[], target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const out = createWriteStream(target);
  for (const part of parts) await pipeline(createReadStream(part), out, { end: false });
  out.end();
  await new Promise<void>((resolve) => out.on("close", () => resolve()));
  return target;
}

export const formatStage: Stage<"format"> = {
  key: "format",
  title: "Format",
  when: (state) => !state.setup.resume,
  run: (state, progress) =>
    formatData(
      state.setup.config,
      state.setup.paths.data,
      state.need("model"),
      progress,
      state.get("validate")?.formats,
    ),
};

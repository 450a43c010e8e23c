import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { FailedError, UsageError, locate } from "../../errors/index.js";
import {
  chooseTemplate,
  formatFile,
  loadTemplate,
  readRecords,
  validateFile,
  type TemplateName,
} from "../../dataset/index.js";
import type { RunContext } from "./context.js";

interface TaskLike {
  output: string | undefined;
  title: string;
}

/** Every dataset file (and eval file) is validated in full before any environment or GPU is touched. */
export async function validateData(ctx: RunContext, task: TaskLike): Promise<void> {
  const problems = [];
  let rows = 0;
  for (const dataset of ctx.config.datasets) {
    for (const file of [dataset.path, dataset.eval_path].filter((f): f is string => Boolean(f))) {
      task.output = `validating ${file}`;
      const report = await validateFile(file, { format: dataset.format });
      rows += report.validRows;
      for (const error of report.errors) {
        problems.push({
          location: locate(file, error.line ?? error.index, error.path),
          message: `${error.message} [${error.code}]`,
        });
      }
    }
  }
  if (problems.length > 0) {
    throw new FailedError(
      "dataset-invalid",
      `the training data has ${problems.length} invalid rows; nothing was trained`,
      {
        problems,
        hint: "`pipeline dataset validate <file>` shows the full report; fix the rows and run again",
      },
    );
  }
  task.title = `Validate data (${rows} valid rows)`;
}

/** Formats each dataset into the run directory, then concatenates the splits the trainer reads. */
export async function formatData(ctx: RunContext, task: TaskLike): Promise<void> {
  const reader = { validateFile, readRecords };
  const trainParts: string[] = [];
  const evalParts: string[] = [];
  for (const [i, dataset] of ctx.config.datasets.entries()) {
    const modelDir = localModelDir(ctx.baseModel!, dataset.template);
    if (dataset.template === "auto") dataset.template = await autoTemplate(i, modelDir);
    const template = await loadTemplate(dataset.template, { modelDir });
    const outDir = join(ctx.paths.data, String(i));
    const common = { format: dataset.format, template, seed: dataset.seed };
    task.output = `formatting ${dataset.path}`;
    await formatFile(
      { ...common, file: dataset.path, evalFraction: dataset.eval_path ? 0 : dataset.eval_split, outDir },
      reader,
    );
    trainParts.push(join(outDir, "train.jsonl"));
    if (dataset.eval_path) {
      const evalDir = join(ctx.paths.data, `${i}-eval`);
      await formatFile({ ...common, file: dataset.eval_path, evalFraction: 0, outDir: evalDir }, reader);
      evalParts.push(join(evalDir, "train.jsonl"));
    } else if (dataset.eval_split > 0) {
      evalParts.push(join(outDir, "eval.jsonl"));
    }
  }
  ctx.trainFile = await concatenate(trainParts, join(ctx.paths.data, "train.jsonl"));
  ctx.evalFile = evalParts.length ? await concatenate(evalParts, join(ctx.paths.data, "eval.jsonl")) : null;
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
function localModelDir(baseModel: string, template: string): string | undefined {
  if (existsSync(join(baseModel, "tokenizer_config.json"))) return baseModel;
  if (template === "model") {
    throw new UsageError(
      "template-needs-local-model",
      `template "model" needs the base model on disk; ${baseModel} is not a local directory`,
      {
        hint: "download the model (e.g. `hf download <id> --local-dir DIR`) and set base_model to that directory, or use template chatml, llama3 or alpaca",
      },
    );
  }
  return undefined;
}

/** The trainer always reads data/train.jsonl and data/eval.jsonl, whatever the number of datasets. */
async function concatenate(parts: string[], target: string): Promise<string> {
  await mkdir(join(target, ".."), { recursive: true });
  const out = createWriteStream(target);
  for (const part of parts) await pipeline(createReadStream(part), out, { end: false });
  out.end();
  await new Promise<void>((resolve) => out.on("close", () => resolve()));
  return target;
}

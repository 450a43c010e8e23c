import type { RunConfig } from "../../config/index.js";
import { detectFileFormat, type ConcreteFormat } from "../../dataset/index.js";
import { UsageError, type Problem } from "../../errors/index.js";

type Method = RunConfig["training"]["method"];

const SHAPES: Record<Method, string> = {
  sft: "SFT rows (messages, conversations, alpaca or text)",
  dpo: "preference pairs (prompt/chosen/rejected)",
  kto: "KTO rows (messages + a boolean label)",
};

function methodOf(format: ConcreteFormat): Method {
  return format === "preference" ? "dpo" : format === "kto" ? "kto" : "sft";
}

/**
 * A method trained on the wrong kind of rows (DPO on chats, SFT on pairs) would fail, or worse, learn
 * nothing, after the model is loaded: each file's format (as set, or detected from its first rows) is
 * checked against training.method before any row is validated in full.
 */
export async function checkMethodData(config: RunConfig): Promise<void> {
  const method = config.training.method;
  const problems: Problem[] = [];
  const fits = new Set<Method>();
  for (const [i, dataset] of config.datasets.entries()) {
    for (const file of [dataset.path, dataset.eval_path].filter((f): f is string => Boolean(f))) {
      const format = dataset.format !== "auto" ? dataset.format : (await detectFileFormat(file))?.format;
      if (!format || methodOf(format) === method) continue;
      fits.add(methodOf(format));
      problems.push({
        location: `datasets[${i}] ${file}`,
        message: `holds ${SHAPES[methodOf(format)]}, but training.method is ${method}, which trains on ${SHAPES[method]}`,
      });
    }
  }
  if (problems.length === 0) return;
  const files = problems.map((p) => p.location).join(", ");
  throw new UsageError("method-data-mismatch", `training.method ${method} cannot train on ${files}`, {
    problems,
    hint: `set training.method: ${[...fits].join(" or ")} for this data, or give ${method} its own data (${SHAPES[method]}); nothing was run`,
  });
}

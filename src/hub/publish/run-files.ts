import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { UsageError } from "../../errors/index.js";
import { readReport, type Report } from "../../report/index.js";
import { parseDatasetUri } from "../dataset-uri.js";
import { parseModelRef } from "../model-ref.js";
import type { CardInputs } from "./card.js";
import type { RepoFileContent } from "./upload.js";

export interface PublishableRun {
  report: Report;
  adapterFiles: RepoFileContent[];
  card: Omit<CardInputs, "repo" | "license">;
}

// The trainer's manifest is for the checkpoint store, not for people loading the adapter; PEFT's own
// README.md template is replaced by the model card.
const NOT_PUBLISHED = new Set(["manifest.json", "README.md"]);

/** What a finished run directory holds for publishing: its report, adapter files and card facts. */
export async function readPublishableRun(runDir: string): Promise<PublishableRun> {
  const report = await readReport(runDir);
  const adapterDir = join(runDir, "adapter");
  if (!existsSync(join(adapterDir, "adapter_config.json"))) {
    throw new UsageError("no-adapter", `${runDir} has no adapter (adapter/adapter_config.json)`, {
      hint: "only a run that finished training can be published",
    });
  }
  const adapterFiles: RepoFileContent[] = [];
  for (const name of (await readdir(adapterDir)).sort()) {
    if (!NOT_PUBLISHED.has(name))
      adapterFiles.push({ path: name, bytes: await readFile(join(adapterDir, name)) });
  }
  const config = parse(await readFile(join(runDir, "config.resolved.yaml"), "utf8")) as {
    base_model: string;
    lora: CardInputs["config"]["lora"];
    training: Record<string, unknown>;
    datasets: { path: string; eval_path?: string; template: string }[];
  };
  const sources = config.datasets.flatMap((d) => [d.path, ...(d.eval_path ? [d.eval_path] : [])]);
  const hubDatasets = [
    ...new Set(sources.filter((s) => s.startsWith("hf://")).map((s) => parseDatasetUri(s).ref.id)),
  ];
  const hash = async (file: string) =>
    existsSync(file)
      ? createHash("sha256")
          .update(await readFile(file))
          .digest("hex")
      : null;
  return {
    report,
    adapterFiles,
    card: {
      report,
      baseModel: parseModelRef(config.base_model)?.id,
      datasets: hubDatasets,
      dataHashes: {
        train: (await hash(join(runDir, "data/train.jsonl"))) ?? "n/a",
        eval: await hash(join(runDir, "data/eval.jsonl")),
      },
      config: {
        lora: (await trainedLora(runDir)) ?? config.lora,
        training: config.training,
        templates: [...new Set(config.datasets.map((d) => d.template))],
      },
    },
  };
}

/** The LoRA settings the trainer used (spec.json): an init adapter's own rank and modules, not lora:'s. */
async function trainedLora(runDir: string): Promise<CardInputs["config"]["lora"] | undefined> {
  const spec = join(runDir, "spec.json");
  if (!existsSync(spec)) return undefined;
  return (JSON.parse(await readFile(spec, "utf8")) as { lora?: CardInputs["config"]["lora"] }).lora;
}

import { stringify } from "yaml";
import type { Report } from "../../report/index.js";

/** What a model card says besides the report: where the adapter goes and what it was trained on. */
export interface CardInputs {
  repo: string;
  report: Report;
  /** The base model's hub id (without @revision), when it came from the Hub. */
  baseModel: string | undefined;
  license: string | undefined;
  /** Hub dataset ids the run read through hf:// paths. */
  datasets: string[];
  /** sha256 of the formatted train (and eval) split the trainer read. */
  dataHashes: { train: string; eval: string | null };
  config: {
    lora: { r: number; alpha: number; dropout: number; target_modules: unknown };
    training: Record<string, unknown>;
    templates: string[];
  };
}

/**
 * The adapter's README.md: YAML metadata the Hub indexes (base_model, library_name: peft, license, tags,
 * datasets, pipeline_tag, and a model-index with the eval results), then what was trained, how it scored
 * against its base, and how to load it. A pure function of the run: publishing twice gives the same bytes.
 */
export function modelCard(inputs: CardInputs): string {
  return `---\n${stringify(metadata(inputs))}---\n\n${body(inputs)}`;
}

function metadata({ repo, report, baseModel, license, datasets }: CardInputs): Record<string, unknown> {
  const results = report.suites.map((suite) => ({
    task: { type: "text-generation", name: "Text Generation" },
    dataset: { name: suite.name, type: suite.name },
    metrics: suite.metrics.map((m) => ({
      type: m.metric,
      value: round(m.adapter),
      name: `${m.metric} (base ${round(m.base)}, 95% CI of the difference [${round(m.ci95[0])}, ${round(m.ci95[1])}], p=${round(m.pValue)})`,
    })),
  }));
  return {
    ...(baseModel ? { base_model: baseModel } : {}),
    library_name: "peft",
    ...(license ? { license } : {}),
    pipeline_tag: "text-generation",
    tags: ["peft", "lora", "pipeline", ...(baseModel ? [`base_model:adapter:${baseModel}`] : [])],
    ...(datasets.length ? { datasets } : {}),
    "model-index": [{ name: repo.split("/")[1], results }],
  };
}

/** DPO on top of an SFT run: the card says which adapter this one started from (and was measured against). */
const onTopOf = ({ source, sha256 }: { source: string; sha256: Record<string, string> }) =>
  `| trained on top of | adapter \`${source}\` (adapter_model.safetensors sha256 \`${sha256["adapter_model.safetensors"]?.slice(0, 12) ?? "—"}\`) |`;

function body(inputs: CardInputs): string {
  const { repo, report, config, dataHashes } = inputs;
  const base = inputs.baseModel ?? report.base_model;
  const revision = report.base_model_revision ? ` at revision \`${report.base_model_revision}\`` : "";
  const t = report.training;
  const lines = [
    `# ${repo.split("/")[1]}`,
    "",
    `A LoRA adapter for \`${base}\`${revision}, trained and evaluated with pipeline (run \`${report.run_id}\`, config sha256 \`${report.config.hash.slice(0, 12)}\`).`,
    "",
    "## Training",
    "",
    "| setting | value |",
    "|---|---|",
    `| LoRA | r ${config.lora.r}, alpha ${config.lora.alpha}, dropout ${config.lora.dropout}, targets ${JSON.stringify(config.lora.target_modules)} |`,
    ...(t?.init_adapter ? [onTopOf(t.init_adapter)] : []),
    `| steps | ${t ? `${t.steps} (${round(t.epochs)} epochs)` : "unknown"} |`,
    ...["learning_rate", "micro_batch_size", "gradient_accumulation_steps", "max_seq_len", "precision"].map(
      (key) => `| ${key} | ${String(config.training[key] ?? "")} |`,
    ),
    `| template | ${config.templates.join(", ")} |`,
    ...report.datasets.map(
      (d) => `| data | \`${d.source}\`: ${d.train} train / ${d.eval} eval rows (${d.format}) |`,
    ),
    `| data sha256 | train \`${dataHashes.train}\`${dataHashes.eval ? `, eval \`${dataHashes.eval}\`` : ""} |`,
    ...(t ? [`| final train loss | ${round(t.final_train_loss)} |`] : []),
    "",
    "## Evaluation",
    "",
    "Base and adapter on the same cases, greedy; the difference's paired bootstrap 95 % CI and p-value.",
    "",
    "| suite | metric | n | base | adapter | difference | 95 % CI | p | verdict |",
    "|---|---|---|---|---|---|---|---|---|",
    ...report.suites.flatMap((s) =>
      s.metrics.map(
        (m) =>
          `| ${s.name} | ${m.metric} | ${m.n} | ${round(m.base)} | ${round(m.adapter)} | ${round(m.difference)} | [${round(m.ci95[0])}, ${round(m.ci95[1])}] | ${round(m.pValue)} | ${m.verdict} |`,
      ),
    ),
    ...(report.gates.length
      ? [
          "",
          `Gates: ${report.gates.map((g) => `${g.metric} ${g.expression} ${g.passed ? "passed" : "failed"}`).join("; ")}.`,
        ]
      : []),
    "",
    "## Use",
    "",
    "```python",
    "from transformers import AutoModelForCausalLM, AutoTokenizer",
    "from peft import PeftModel",
    "",
    `base = AutoModelForCausalLM.from_pretrained("${base}"${report.base_model_revision ? `, revision="${report.base_model_revision}"` : ""})`,
    `model = PeftModel.from_pretrained(base, "${repo}")`,
    `tokenizer = AutoTokenizer.from_pretrained("${base}")`,
    "```",
    "",
    "With vLLM:",
    "",
    "```sh",
    `hf download ${repo} --local-dir ./${repo.split("/")[1]}`,
    `vllm serve ${base} --enable-lora --max-lora-rank ${config.lora.r} --lora-modules ${repo.split("/")[1]}=./${repo.split("/")[1]}`,
    "```",
    "",
  ];
  return lines.join("\n");
}

function round(value: number | null | undefined): string {
  if (value === null || value === undefined) return "n/a";
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

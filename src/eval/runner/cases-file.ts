import { readFile, writeFile } from "node:fs/promises";
import { loadTemplate } from "../../dataset/format/index.js";
import type { FormattedExample } from "../../dataset/types.js";
import { UsageError } from "../../errors/index.js";
import type { CaseRow, Suite } from "../suite/index.js";

export interface CasesSource {
  /** The run's formatted eval split, for suites with `cases: heldout`. */
  heldoutFile?: string;
  /** The template the adapter was trained with (chatml, llama3, alpaca, model). */
  templateName: string;
  /** The base model directory, for `model` (the model's own chat template) and its special tokens. */
  modelDir?: string;
}

/**
 * Writes the suite's cases as formatted rows, the only input generate.py reads. A `{prompt, reference}`
 * row becomes one user turn and the assistant's answer, rendered by the same template the adapter was
 * trained with, so generation sees what training saw. Returns the number of cases written.
 */
export async function writeCasesFile(suite: Suite, source: CasesSource, out: string): Promise<number> {
  const rows = await formattedRows(suite, source);
  const kept = suite.limit === undefined ? rows : rows.slice(0, suite.limit);
  await writeFile(out, kept.map((row) => JSON.stringify(row) + "\n").join(""));
  return kept.length;
}

async function formattedRows(suite: Suite, source: CasesSource): Promise<FormattedExample[]> {
  if (suite.cases.source === "heldout") return readHeldout(suite, source.heldoutFile);
  const rows = suite.cases.rows;
  if (rows.every((row) => "segments" in row)) return rows as FormattedExample[];
  const template = await loadTemplate(source.templateName, { modelDir: source.modelDir });
  return rows.map((row: CaseRow) =>
    "segments" in row
      ? row
      : {
          segments: template.chat([
            { role: "user", content: row.prompt },
            { role: "assistant", content: row.reference },
          ]),
        },
  );
}

async function readHeldout(suite: Suite, file: string | undefined): Promise<FormattedExample[]> {
  if (!file) {
    throw new UsageError(
      "no-heldout-split",
      `suite ${suite.name} uses the held-out split, and there is none`,
      {
        hint: "outside `pipeline run`, pass the formatted eval split with --heldout FILE, or point cases: at a JSONL file",
      },
    );
  }
  const text = await readFile(file, "utf8");
  const rows = text.split("\n").filter((line) => line.trim());
  if (rows.length === 0) {
    throw new UsageError("empty-heldout-split", `suite ${suite.name}: the held-out split ${file} is empty`, {
      hint: "set datasets[].eval_split above 0 or datasets[].eval_path, or point cases: at a JSONL file",
    });
  }
  return rows.map((line) => JSON.parse(line) as FormattedExample);
}

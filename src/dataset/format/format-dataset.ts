import { mkdir } from "node:fs/promises";
import { FailedError, locate, type Problem } from "../../errors/index.js";
import type { CanonicalRecord } from "../types.js";
import type { FormatManifest } from "./manifest.js";
import { contentHash, FORMATTER_VERSION, SPLIT_METHOD, type FormatKey } from "./reuse.js";
import { commit, openJsonl, type JsonlWriter } from "./output-files.js";
import { formatRecord, type FormattedRow } from "./render-record.js";
import { isEval } from "./split.js";

/** One row as the dataset reader yields it; `record` is null when the row could not be read. */
export interface SourceRow {
  location: number;
  record: CanonicalRecord | null;
}

export interface FormatDatasetOptions extends FormatKey {
  outDir: string;
  /** The source file as the user named it, for the manifest and for `file:line` in problems. */
  sourcePath: string;
  /** The format the validator detected. */
  format: string;
}

type Counts = FormatManifest["counts"];
const MAX_PROBLEMS = 1000;

/**
 * Streams rows through the template into train.jsonl / eval.jsonl (temporary names until every row is
 * written) and writes manifest.json last. Rows a template cannot render are collected and reported
 * together; then nothing is committed.
 */
export async function formatDataset(rows: AsyncIterable<SourceRow>, options: FormatDatasetOptions) {
  await mkdir(options.outDir, { recursive: true });
  const train = openJsonl(options.outDir, "train.jsonl");
  const evalFile = openJsonl(options.outDir, "eval.jsonl");
  try {
    const { counts, shape } = await writeRows(rows, options, { train, eval: evalFile });
    const files = { train: await train.close(), eval: await evalFile.close() };
    const manifest = buildManifest(options, counts, shape, files);
    await commit(options.outDir, [train, evalFile], manifest);
    return manifest;
  } catch (error) {
    await Promise.all([train.discard(), evalFile.discard()]);
    throw error;
  }
}

async function writeRows(
  rows: AsyncIterable<SourceRow>,
  options: FormatDatasetOptions,
  out: { train: JsonlWriter; eval: JsonlWriter },
) {
  const counts: Counts = { rows: 0, train: 0, eval: 0, preference: 0, feedback: 0, skipped: 0 };
  const problems: Problem[] = [];
  const shapes = new Set<FormatManifest["shape"]>();
  for await (const { location, record } of rows) {
    counts.rows += 1;
    if (!record) {
      counts.skipped += 1;
      continue;
    }
    const row = renderRow(record, options, locate(options.sourcePath, location), problems);
    if (!row) continue;
    shapes.add(shapeOf(row));
    if (record.kind === "preference") counts.preference += 1;
    if (record.kind === "feedback") counts.feedback += 1;
    const side = isEval(record, options.seed, options.evalFraction) ? "eval" : "train";
    await out[side].write(row);
    counts[side] += 1;
  }
  checkRows(options, problems, shapes);
  return { counts, shape: [...shapes][0] ?? ("segments" as const) };
}

function shapeOf(row: FormattedRow): FormatManifest["shape"] {
  if ("segments" in row) return "segments";
  return "label" in row ? "feedback" : "preference";
}

function renderRow(
  record: CanonicalRecord,
  options: FormatDatasetOptions,
  location: string,
  problems: Problem[],
) {
  try {
    return formatRecord(options.template, record, options.reasoning);
  } catch (error) {
    const rowProblem = error instanceof FailedError && error.code === "template-render-failed";
    if (!rowProblem) throw error;
    if (problems.length < MAX_PROBLEMS) problems.push({ location, message: error.message });
    return undefined;
  }
}

function checkRows(options: FormatDatasetOptions, problems: Problem[], shapes: Set<string>) {
  if (problems.length > 0) {
    throw new FailedError(
      "template-render-failed",
      `template ${options.template.name} could not render some rows`,
      {
        problems,
        hint: "fix these rows, or pick a template that accepts them; nothing was written",
      },
    );
  }
  if (shapes.size > 1) {
    throw new FailedError(
      "mixed-row-kinds",
      `${options.sourcePath} mixes ${[...shapes].join(" and ")} rows (SFT, preference pairs, KTO feedback)`,
      { hint: "keep SFT rows, preference pairs and KTO feedback in separate files; nothing was written" },
    );
  }
}

function buildManifest(
  options: FormatDatasetOptions,
  counts: Counts,
  shape: FormatManifest["shape"],
  files: FormatManifest["files"],
): FormatManifest {
  const { template } = options;
  return {
    version: 1,
    formatter_version: FORMATTER_VERSION,
    content_hash: contentHash(options),
    source: {
      path: options.sourcePath,
      sha256: options.sourceSha256,
      requested_format: options.requestedFormat,
      format: options.format,
    },
    template: {
      name: template.name,
      ...template.tokens,
      stop: template.stop,
      origin: template.origin ?? null,
      fingerprint: template.fingerprint,
    },
    split: { eval_fraction: options.evalFraction, seed: options.seed, method: SPLIT_METHOD },
    shape,
    counts,
    files,
    created_at: new Date().toISOString(),
  };
}

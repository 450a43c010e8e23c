import { localFile } from "../read/local-file.js";
import { FailedError, UsageError, locate } from "../../errors/index.js";
import { formatDataset, type SourceRow } from "./format-dataset.js";
import { sha256File } from "./hash.js";
import type { FormatManifest } from "./manifest.js";
import { contentHash, findReusable } from "./reuse.js";
import type { ReasoningMode } from "./render-record.js";
import type { Template } from "./template.js";

export type DatasetFormat = "auto" | "alpaca" | "sharegpt" | "messages" | "text" | "preference" | "kto";

/** One invalid row as the validator reports it (`line` for JSONL, `index` for JSON arrays). */
export interface RowError {
  line?: number;
  index?: number;
  path?: string;
  code: string;
  message: string;
}

/**
 * What formatting needs from the dataset reader (src/dataset: `validateFile` and `readRecords`),
 * injected so this stage is tested with in-memory records. Method syntax on purpose: the reader's
 * functions may take a narrower options type.
 */
export interface DatasetReader {
  validateFile(
    path: string,
    options: { format: DatasetFormat; onProgress?: ByteProgressCallback },
  ): Promise<{ format: string | null; errors: readonly RowError[] }>;
  readRecords(
    path: string,
    options: { format: DatasetFormat; onProgress?: ByteProgressCallback },
  ): AsyncIterable<SourceRow>;
}

/** Bytes of the file covered so far, and its size. */
type ByteProgressCallback = (bytes: number, total: number) => void;

export interface FormatFileOptions {
  file: string;
  format: DatasetFormat;
  template: Template;
  evalFraction: number;
  seed: number;
  outDir: string;
  reasoning?: ReasoningMode;
  /** The file's progress through each step: validating it, then reading it to format (not for Parquet). */
  onProgress?: (step: "validating" | "formatting", bytes: number, total: number) => void;
}

export interface FormatOutcome {
  manifest: FormatManifest;
  /** true: the output directory already held this exact result and nothing was re-processed. */
  reused: boolean;
}

/** Reuse an identical earlier output, else validate (refusing invalid rows) and format. */
export async function formatFile(options: FormatFileOptions, reader: DatasetReader): Promise<FormatOutcome> {
  const key = {
    sourceSha256: await hashSource(options.file),
    requestedFormat: options.format,
    template: options.template,
    evalFraction: options.evalFraction,
    seed: options.seed,
    reasoning: options.reasoning,
  };
  const previous = await findReusable(options.outDir, contentHash(key));
  if (previous) return { manifest: previous, reused: true };

  const progress = options.onProgress;
  const report = await reader.validateFile(options.file, {
    format: options.format,
    onProgress: progress && ((bytes, total) => progress("validating", bytes, total)),
  });
  if (report.errors.length > 0) throw invalidRows(options.file, report.errors);
  const rows = reader.readRecords(options.file, {
    format: options.format,
    onProgress: progress && ((bytes, total) => progress("formatting", bytes, total)),
  });
  const manifest = await formatDataset(rows, {
    ...key,
    outDir: options.outDir,
    sourcePath: options.file,
    format: report.format ?? options.format,
  });
  return { manifest, reused: false };
}

function invalidRows(file: string, errors: readonly RowError[]): FailedError {
  return new FailedError(
    "dataset-invalid",
    `${file} has ${errors.length} invalid rows; nothing was formatted`,
    {
      problems: errors.map((error) => ({
        location: locate(file, error.line ?? error.index, error.path),
        message: `${error.message} [${error.code}]`,
      })),
      hint: `fix them (pipeline dataset validate ${file} shows the full report), then format again`,
    },
  );
}

async function hashSource(file: string): Promise<string> {
  try {
    return await sha256File(await localFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : "cannot be read";
    throw new UsageError("file-unreadable", `${file}: ${why}`, {
      cause: error,
      hint: "pass a JSONL or JSON-array dataset file",
    });
  }
}

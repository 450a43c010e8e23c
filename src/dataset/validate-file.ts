import { stat } from "node:fs/promises";
import { FileChecks } from "./checks/file-checks.js";
import { FingerprintTable } from "./checks/hash-table.js";
import { RecordHasher } from "./checks/record-hash.js";
import { RowFacts } from "./checks/row-facts.js";
import { loadTokenCounter } from "./checks/tokens.js";
import type { DatasetFormat } from "./parsers/index.js";
import { parseSource, type ParsedSource } from "./read-records.js";
import { openRows } from "./read/open-rows.js";
import type { ValidationReport } from "./report.js";
import { checkInWorkers, workersFor } from "./validate-workers.js";

export interface ValidateOptions {
  format?: DatasetFormat;
  /** A tokenizer.json or model directory: exact token counts instead of characters / 4. */
  tokenizer?: string;
  /** Rows longer than this many tokens get a warning. */
  maxTokens?: number;
  /** An eval split: rows that also appear there get a warning. */
  evalFile?: string;
  /**
   * Worker threads for a JSON Lines file (0: this thread only). Default: one per core, up to 4, for a
   * file of 8 MiB or more. The report is the same either way.
   */
  workers?: number;
  /** Called as the file is checked, with the bytes covered so far and the file's size (not for Parquet). */
  onProgress?: (bytes: number, total: number) => void;
}

export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Validates one dataset file in a single streaming pass. Bad rows are reported, never thrown;
 * a missing or unreadable file, unknown extension or bad tokenizer throws UsageError.
 */
export async function validateFile(path: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const countTokens = options.tokenizer ? await loadTokenCounter(options.tokenizer) : undefined;
  const evalSet = options.evalFile ? await fingerprintFile(options.evalFile, options.format) : undefined;
  const source = await parseSource(await openRows(path), options.format ?? "auto");
  const checks = new FileChecks(source.kind, {
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
    countTokens,
    evalSet,
  });
  const { size } = await stat(source.file);
  const workers = source.layout === "JSON Lines" ? (options.workers ?? workersFor(size)) : 0;
  const progress = options.onProgress;
  if (workers > 0) {
    await source.close();
    const { format, reason } = source;
    const setup = { format, reason, tokenizer: options.tokenizer };
    await checkInWorkers(source.file, setup, checks, workers, progress && ((bytes) => progress(bytes, size)));
  } else {
    const facts = new RowFacts(countTokens);
    for await (const batch of source.batches) {
      checks.addBatch(facts.batch(batch));
      if (progress && source.read) progress(source.read.bytes, size);
    }
  }
  return report(path, source, checks, countTokens !== undefined);
}

function report(
  file: string,
  source: ParsedSource,
  checks: FileChecks,
  exactTokens: boolean,
): ValidationReport {
  const { errors } = checks;
  if (checks.rows === 0) {
    const message = "the file holds no rows; add training examples";
    errors.add(
      source.kind === "line"
        ? { line: 1, path: "", code: "no-rows", message }
        : { index: 0, path: "", code: "no-rows", message },
    );
  }
  return {
    file,
    format: source.format ?? null,
    formatReason: source.reason,
    layout: source.layout,
    locationKind: source.kind,
    rows: checks.rows,
    validRows: checks.validRows,
    valid: errors.errors.length === 0,
    errors: errors.errors,
    errorsOmitted: errors.omitted,
    errorGroups: errors.summary(),
    warnings: checks.warnings(),
    stats: checks.stats.summary(exactTokens),
  };
}

/** Fingerprints of every valid row of an eval file, to find rows shared with training files. */
async function fingerprintFile(file: string, format: DatasetFormat = "auto") {
  const source = await parseSource(await openRows(file), format);
  const table = new FingerprintTable();
  const hasher = new RecordHasher();
  for await (const batch of source.batches) {
    for (const row of batch) {
      if (!row.record) continue;
      hasher.hash(row.record);
      table.add(hasher.high, hasher.low, row.location);
    }
  }
  return { table, kind: source.kind, file };
}

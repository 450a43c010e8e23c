/** The dataset stage: read, validate and normalize instruction datasets. */
import { openRows } from "./read/open-rows.js";
import { parseSource } from "./read-records.js";
import { placeIssue, type RowProblem } from "./problems.js";
import type { DatasetFormat } from "./parsers/index.js";
import type { CanonicalRecord } from "./types.js";

export { validateFile, DEFAULT_MAX_TOKENS, type ValidateOptions } from "./validate-file.js";
export { detectFormat, type Detection } from "./detect.js";
export { detectRowFormat, type DatasetFormat, type ConcreteFormat } from "./parsers/index.js";
export { formatLocation, type RowProblem, type ProblemCode, type LocationKind } from "./problems.js";
export type { ValidationReport, DatasetWarning, DatasetStats, ErrorGroup } from "./report.js";
export type * from "./types.js";

export interface RecordRow {
  /** 1-based line (JSON Lines) or 0-based element index (JSON array). */
  location: number;
  /** null when the row is invalid; `problems` says why. */
  record: CanonicalRecord | null;
  problems: RowProblem[];
}

/** Streams every row of a dataset file as a canonical record, in constant memory. */
export async function* readRecords(
  path: string,
  options: { format?: DatasetFormat } = {},
): AsyncGenerator<RecordRow> {
  const source = await parseSource(await openRows(path), options.format ?? "auto");
  for await (const batch of source.batches) {
    for (const row of batch) {
      const problems = row.issues.map((issue) => placeIssue(issue, source.kind, row.location));
      yield { location: row.location, record: row.record ?? null, problems };
    }
  }
}
export { renderReport } from "./render-report.js";
export { assertDatasetFile } from "./read/open-rows.js";

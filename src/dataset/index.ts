/** The dataset stage: read, validate and normalize instruction datasets. */
export { validateFile, DEFAULT_MAX_TOKENS, type ValidateOptions } from "./validate-file.js";
export { readRecords, detectFileFormat, type RecordRow } from "./read-records.js";
export { detectFormat, type Detection } from "./detect.js";
export { detectRowFormat, type DatasetFormat, type ConcreteFormat } from "./parsers/index.js";
export { formatLocation, type RowProblem, type ProblemCode, type LocationKind } from "./problems.js";
export type { ValidationReport, DatasetWarning, DatasetStats, ErrorGroup } from "./report.js";
export { renderReport } from "./render-report.js";
export { assertDatasetFile } from "./read/open-rows.js";
export type * from "./types.js";
export * from "./format/index.js";

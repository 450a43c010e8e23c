/**
 * The report stage: report.json (the contract, schema.ts) and its renderings report.md and report.html.
 * `buildReport` gathers a finished run's report from its directory and eval results; `writeReport` writes all three.
 */
export {
  Report,
  REPORT_VERSION,
  reportJsonSchema,
  type Suite,
  type Gate,
  type Disagreement,
  type Training,
  type Dataset,
} from "./schema.js";
export { buildReport, outcome, MAX_DISAGREEMENTS, type ReportInputs } from "./build-report.js";
export { summarizeTraining, lastPerStep } from "./training-summary.js";
export { readDatasets } from "./datasets.js";
export { computeCost } from "./cost.js";
export { pickDisagreements } from "./disagreements.js";
export { writeReport, readReport, renderReport, reportFiles, type ReportFiles } from "./write-report.js";
export { renderMarkdown } from "./markdown/render-markdown.js";
export { renderHtml } from "./html/render-html.js";
export { openFile } from "./open-file.js";

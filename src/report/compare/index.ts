// `pipeline runs compare`: runs side by side — config differences and metrics, as text and as HTML.
export { collectRun, type ComparedRun } from "./collect.js";
export { compareRuns, type Comparison, type Row } from "./model.js";
export { renderComparisonText } from "./text.js";
export { renderComparisonHtml } from "./html.js";

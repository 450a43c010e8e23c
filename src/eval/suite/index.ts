export { loadSuite, loadSuites, type Suite, type LoadSuiteOptions } from "./load.js";
export { SuiteFile, HELDOUT } from "./schema.js";
export { defaultPreferenceSuite, defaultSuite, DEFAULT_SUITE_NAME } from "./default.js";
export type { CaseRow } from "./case-rows.js";
export type { SuiteScorer } from "./scorers.js";

export {
  runSuite,
  MAX_DISAGREEMENTS,
  type RunSuiteOptions,
  type SuiteResult,
  type Disagreement,
} from "./run-suite.js";
export { writeCasesFile, type CasesSource } from "./cases-file.js";
export { scoreCases, type ScoredCase, type ScoredOutput } from "./score.js";

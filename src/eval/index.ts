// The eval stage: suite files → generations of base and adapter (docker/generate.py) → scorers →
// paired statistics → gates.
export { generatePair, type Generation, type Generator } from "./generate.js";
export { compareExactMatch, type ExactMatchComparison } from "./compare.js";
export type { MetricKind, MetricResult, ScorerInput } from "./types.js";
export {
  SCORER_NAMES,
  getScorer,
  exactMatch,
  rougeL,
  tokenF1,
  type ScorerDefinition,
  type CaseScorer,
  type ScorerContext,
} from "./scorers/index.js";
export {
  pairedBootstrap,
  mcnemar,
  signFlipTest,
  compareMetric,
  ALPHA,
  type CompareInput,
  type McNemarResult,
} from "./stats/index.js";
export {
  loadSuite,
  loadSuites,
  defaultPreferenceSuite,
  defaultSuite,
  DEFAULT_SUITE_NAME,
  HELDOUT,
  type Suite,
  type CaseRow,
} from "./suite/index.js";
export {
  runSuite,
  type RunSuiteOptions,
  type SuiteResult,
  type Disagreement,
  type ScoredCase,
} from "./runner/index.js";
export {
  parseGateExpression,
  evaluateGates,
  parseGateFlag,
  type GateResult,
  type GateExpression,
} from "./gates/index.js";
export { servingParity, type ServingParity, type ServedDisagreement } from "./served.js";

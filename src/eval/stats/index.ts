// Paired statistics for base vs adapter: every function is deterministic for a given seed.
export { pairedBootstrap, quantile, type ResampleOptions } from "./bootstrap.js";
export { mcnemar, erfc, binomialCdfHalf, type McNemarResult } from "./mcnemar.js";
export { signFlipTest } from "./sign-flip.js";
export { compareMetric, ALPHA, type CompareInput } from "./compare.js";
export { mulberry32, mean } from "./prng.js";

export { generate, type Generation, type GenerateOptions } from "./generate.js";
export { compareExactMatch, type ExactMatchComparison } from "./compare.js";
export { exactMatch } from "./scorers/exact-match.js";

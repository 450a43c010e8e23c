export { parseGateExpression, GateExpressionText, type GateExpression } from "./expression.js";
export { evaluateGates, parseGateFlag, type GateResult } from "./evaluate.js";

export {
  parseGateExpression,
  GateExpressionText,
  type GateExpression,
} from "../../config/gate-expression.js";
export { evaluateGates, parseGateFlag, type GateResult } from "./evaluate.js";

import { z } from "zod";

// The syntax of eval.gates in a run config (`>= base + 0.05`); src/eval/gates evaluates them.

/** A parsed gate: `<op> base [± k]`, `<op> champion [± k]` or `<op> k`, compared with the adapter's value. */
export interface GateExpression {
  op: ">=" | ">" | "<=" | "<" | "==";
  /**
   * base: the threshold is the base model's value plus `offset`; champion: the value of the adapter named by
   * eval.compare_to plus `offset`; null: it is `offset` alone.
   */
  relativeTo: "base" | "champion" | null;
  offset: number;
}

const NUMBER = String.raw`\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+`;
const PATTERN = new RegExp(
  String.raw`^(>=|<=|==|>|<)\s*(?:(base|champion)(?:\s*([-+])\s*(${NUMBER}))?|([-+]?(?:${NUMBER})))$`,
);

/**
 * Parses `">= base + 0.05"`, `">= 0.99"`, `"<= base"`, `">= champion - 0.01"`: an operator, then `base` or
 * `champion` with an optional `+`/`-` constant, or a constant alone. Returns an error message when it does not parse.
 */
export function parseGateExpression(text: string): GateExpression | string {
  const match = PATTERN.exec(text.trim());
  if (!match) {
    return `invalid gate "${text}"; expected an operator (>=, >, <=, <, ==) then base or champion (± a number), or a number, e.g. ">= base + 0.05", ">= champion - 0.01" or ">= 0.99"`;
  }
  const [, op, reference, sign, delta, constant] = match;
  if (reference) {
    const offset = delta === undefined ? 0 : Number(delta) * (sign === "-" ? -1 : 1);
    return { op: op as GateExpression["op"], relativeTo: reference as "base" | "champion", offset };
  }
  return { op: op as GateExpression["op"], relativeTo: null, offset: Number(constant) };
}

/** A gate expression in a config: a string that must parse. */
export const GateExpressionText = z.string().check((ctx) => {
  const parsed = parseGateExpression(ctx.value);
  if (typeof parsed === "string") ctx.issues.push({ code: "custom", input: ctx.value, message: parsed });
});

// Scores are means of floats: a threshold met up to rounding is met.
const TOLERANCE = 1e-9;

export function compare(actual: number, op: GateExpression["op"], threshold: number): boolean {
  switch (op) {
    case ">=":
      return actual >= threshold - TOLERANCE;
    case ">":
      return actual > threshold + TOLERANCE;
    case "<=":
      return actual <= threshold + TOLERANCE;
    case "<":
      return actual < threshold - TOLERANCE;
    case "==":
      return Math.abs(actual - threshold) <= TOLERANCE;
  }
}

import { UsageError } from "../../errors/index.js";
import type { MetricResult } from "../types.js";
import { compare, parseGateExpression } from "../../config/gate-expression.js";

export interface GateResult {
  /** The gate's key as written: `metric` (every suite with that metric) or `suite/metric`. */
  metric: string;
  /** The suite the result is about; null when no suite produced the metric. */
  suite: string | null;
  expression: string;
  /** The adapter's value; null when no suite produced the metric. */
  actual: number | null;
  threshold: number | null;
  passed: boolean;
}

/**
 * Evaluates gates against metric results. A key `metric` applies to that metric in every suite (one
 * result each); `suite/metric` to one suite. `champion` in an expression is the value of the adapter named
 * by eval.compare_to on the same suite and metric (`champion`: those comparisons, whose `base` is the
 * champion). A gate whose metric no suite produced, or that names a champion nobody measured, fails: a gate
 * that cannot be checked must not pass silently.
 */
export function evaluateGates(
  gates: Record<string, string>,
  metrics: readonly MetricResult[],
  champion: readonly MetricResult[] = [],
): GateResult[] {
  return Object.entries(gates).flatMap(([key, expression]): GateResult[] => {
    const parsed = parseGateExpression(expression);
    if (typeof parsed === "string") throw new UsageError("invalid-gate", `gate ${key}: ${parsed}`);
    const matching = metrics.filter((m) => key === m.metric || key === `${m.suite}/${m.metric}`);
    if (matching.length === 0) {
      return [{ metric: key, suite: null, expression, actual: null, threshold: null, passed: false }];
    }
    return matching.map((m) => {
      const reference = referenceValue(parsed.relativeTo, m, champion);
      if (reference === undefined) {
        return { metric: key, suite: m.suite, expression, actual: m.adapter, threshold: null, passed: false };
      }
      const threshold = reference + parsed.offset;
      const passed = compare(m.adapter, parsed.op, threshold);
      return { metric: key, suite: m.suite, expression, actual: m.adapter, threshold, passed };
    });
  });
}

/** What the gate's constant is added to: 0, the base's value, or the champion's (undefined: not measured). */
function referenceValue(
  relativeTo: "base" | "champion" | null,
  m: MetricResult,
  champion: readonly MetricResult[],
): number | undefined {
  if (relativeTo === null) return 0;
  if (relativeTo === "base") return m.base;
  return champion.find((c) => c.suite === m.suite && c.metric === m.metric)?.base;
}

/** `--gate 'exact_match: >= base + 0.05'` → ["exact_match", ">= base + 0.05"]. */
export function parseGateFlag(flag: string): [string, string] {
  const colon = flag.indexOf(":");
  const key = flag.slice(0, colon).trim();
  const expression = flag.slice(colon + 1).trim();
  const parsed = colon > 0 && key ? parseGateExpression(expression) : "expected `metric: expression`";
  if (typeof parsed === "string") {
    throw new UsageError("invalid-gate", `--gate ${JSON.stringify(flag)}: ${parsed}`, {
      hint: "write it as --gate 'exact_match: >= base + 0.05' (metric or suite/metric, a colon, the expression)",
    });
  }
  return [key, expression];
}

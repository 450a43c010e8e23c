import type { GateResult, MetricResult, SuiteResult } from "../../eval/index.js";

const HEADER = ["metric", "base", "adapter", "diff", "95% CI", "p", "verdict"];

/** The table `pipeline eval` prints: per suite, one row per metric; then gates and regressions. */
export function renderResults(suites: readonly SuiteResult[], gates: readonly GateResult[]): string {
  const lines: string[] = [];
  for (const suite of suites) {
    lines.push(`suite ${suite.name}: ${suite.cases} cases  (generations: ${suite.generationsFile})`);
    lines.push(...table([HEADER, ...suite.metrics.map(metricRow)]).map((line) => `  ${line}`), "");
    if (suite.champion) {
      lines.push(`  against the champion (--compare-to), the champion in the base's column:`);
      lines.push(...table([HEADER, ...suite.champion.map(metricRow)]).map((line) => `  ${line}`), "");
    }
  }
  const worse = suites.flatMap((s) => s.metrics).filter((m) => m.verdict === "worse");
  if (worse.length > 0) {
    lines.push(`regressions: ${worse.map((m) => `${m.suite}/${m.metric}`).join(", ")} (significantly worse)`);
  }
  if (gates.length > 0) lines.push("gates", ...gates.map(gateLine));
  return lines.join("\n").trimEnd() + "\n";
}

function metricRow(m: MetricResult): string[] {
  const ci = `[${signed(m.ci95[0])}, ${signed(m.ci95[1])}]`;
  const better = m.higherIsBetter ? "↑" : "↓";
  return [
    `${m.metric} ${better}`,
    fixed(m.base),
    fixed(m.adapter),
    signed(m.difference),
    ci,
    m.test === "none" ? "–" : m.pValue < 0.0001 ? "<0.0001" : m.pValue.toFixed(4),
    m.verdict === "no-significant-difference" ? "no significant difference" : m.verdict,
  ];
}

function gateLine(g: GateResult): string {
  const mark = g.passed ? "pass" : "FAIL";
  if (g.actual === null) return `  ${mark}  ${g.metric} ${g.expression}: no suite produced this metric`;
  const where = g.suite && !g.metric.includes("/") ? ` (${g.suite})` : "";
  if (g.threshold === null) return `  ${mark}  ${g.metric}${where} ${g.expression}: no champion was measured`;
  return `  ${mark}  ${g.metric}${where} ${g.expression}: adapter ${fixed(g.actual)}, threshold ${fixed(g.threshold)}`;
}

function fixed(value: number): string {
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toFixed(4);
}

function signed(value: number): string {
  return (value >= 0 ? "+" : "") + fixed(value);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      )
      .join("  ")
      .trimEnd(),
  );
}

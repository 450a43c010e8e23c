import type { MetricResult } from "../../eval/types.js";
import {
  OUTCOME_LABEL,
  VERDICT_LABEL,
  formatCount,
  formatDelta,
  formatInterval,
  formatNumber,
  formatP,
  formatScore,
  regressions,
} from "../numbers.js";
import { trainingFacts } from "../training-facts.js";
import type { Report, Suite, Training } from "../schema.js";
import { cell, fenced, table } from "./text.js";

/** report.md: what a person reads first — outcome, training, scores, gates, examples. */
export function renderMarkdown(report: Report): string {
  return [
    `# Run ${cell(report.run_id)}`,
    "",
    ...outcome(report),
    "",
    ...training(report.training),
    ...report.suites.flatMap(suite),
    ...report.suites.flatMap((s) => championTable(report, s)),
    ...gates(report),
    ...report.suites.flatMap(examples),
  ].join("\n");
}

function outcome(report: Report): string[] {
  const lines = [
    `**Outcome: ${OUTCOME_LABEL[report.outcome.status]}**${report.outcome.message ? ` — ${cell(report.outcome.message)}` : ""}`,
    "",
    `- Base model: \`${cell(report.base_model)}\`${report.base_model_revision ? ` @ \`${report.base_model_revision}\`` : ""} · runtime: ${cell(report.runtime)}`,
    `- Config: \`${cell(report.config.file)}\` (sha256 \`${report.config.hash.slice(0, 12)}\`)`,
    `- Started ${report.created_at}, finished ${report.finished_at}`,
  ];
  for (const d of report.datasets) {
    const evalFrom = d.eval_source ? ` from \`${cell(d.eval_source)}\`` : "";
    lines.push(
      `- Data: \`${cell(d.source)}\` (${d.format}, ${d.template}): ${formatCount(d.rows)} rows → ${formatCount(d.train)} train, ${formatCount(d.eval)} eval${evalFrom}`,
    );
  }
  if (report.cost) {
    const c = report.cost;
    lines.push(
      `- Cost: ${c.gpu_hours.toFixed(3)} ${c.gpus > 0 ? "GPU" : "CPU"}-hours × ${c.price_per_gpu_hour} ${c.currency} = **${c.total.toFixed(2)} ${c.currency}**`,
    );
  }
  const worse = regressions(report);
  if (worse.length > 0) {
    lines.push(
      "",
      `> **Regressions:** ${worse.map((m) => `${m.suite}/${m.metric} got worse (${formatDelta(m, m.difference)})`).join("; ")}`,
    );
  }
  return lines;
}

function training(t: Training | null): string[] {
  if (!t) return ["## Training", "", "The trainer never started.", ""];
  const rows = trainingFacts(t);
  return ["## Training", "", ...table(["", ""], rows), ""];
}

function suite(s: Suite): string[] {
  const header = ["Metric", "Base", "Adapter", "Δ", "95 % CI", "p", "Verdict"];
  return [`## Suite ${cell(s.name)} (${s.cases} cases)`, "", ...table(header, metricRows(s.metrics)), ""];
}

function metricRows(metrics: readonly MetricResult[]): string[][] {
  return metrics.map((m) => [
    m.metric,
    formatScore(m, m.base),
    formatScore(m, m.adapter),
    formatDelta(m, m.difference),
    formatInterval(m, m.ci95),
    m.test === "none" ? "—" : `${formatP(m.pValue)} (${m.test})`,
    verdict(m),
  ]);
}

// The same paired statistics, with eval.compare_to's adapter where the base was.
function championTable(report: Report, s: Suite): string[] {
  if (!s.champion || !report.champion) return [];
  const rows = metricRows(s.champion);
  const header = ["Metric", "Champion", "Adapter", "Δ", "95 % CI", "p", "Verdict"];
  const title = `## Suite ${cell(s.name)} against the champion \`${cell(report.champion.source)}\``;
  return [title, "", ...table(header, rows), ""];
}

function verdict(m: MetricResult): string {
  return m.verdict === "worse" ? "**worse** ⚠" : VERDICT_LABEL[m.verdict];
}

function gates(report: Report): string[] {
  if (report.gates.length === 0) return [];
  const rows = report.gates.map((g) => [
    g.metric,
    g.expression,
    formatNumber(g.actual),
    formatNumber(g.threshold),
    g.passed ? "passed" : "**FAILED**",
  ]);
  return ["## Gates", "", ...table(["Metric", "Gate", "Actual", "Threshold", "Result"], rows), ""];
}

function examples(s: Suite): string[] {
  if (s.disagreements.length === 0) return [];
  const blocks = s.disagreements.flatMap((d) => [
    `### Case ${d.index}`,
    "",
    "Prompt:",
    ...fenced(d.prompt),
    "Reference:",
    ...fenced(d.reference),
    "Base:",
    ...fenced(d.base),
    "Adapter:",
    ...fenced(d.adapter),
    "",
  ]);
  return [`## Where base and adapter disagree: ${cell(s.name)}`, "", ...blocks];
}

import type { MetricResult } from "../../eval/types.js";
import {
  VERDICT_LABEL,
  formatDelta,
  formatInterval,
  formatNumber,
  formatP,
  formatScore,
} from "../numbers.js";
import type { Gate, Suite } from "../schema.js";
import { scoreBars } from "../svg/score-bars.js";
import { escapeHtml as e } from "./escape.js";

/** One suite: the score bars, then the numbers behind them. */
export function suiteSection(s: Suite): string {
  const rows = s.metrics.map(metricRow).join("");
  const chart = s.metrics.length ? scoreBars(s.name, s.metrics) : "";
  return `<section class="suite"><h2>Suite ${e(s.name)} <span class="note">(${s.cases} cases)</span></h2>${chart}
<p class="note">Bars: mean score of base and adapter on the same cases. Whisker: base + the paired bootstrap 95 % interval of the difference.</p>
<div class="scroll"><table class="scores"><thead><tr><th>Metric</th><th>Base</th><th>Adapter</th><th>Δ</th><th>95 % CI</th><th>p</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** The adapter against eval.compare_to's: the same paired statistics, the champion where the base was. */
export function championSection(s: Suite, source: string | undefined): string {
  if (!s.champion || source === undefined) return "";
  const rows = s.champion.map(metricRow).join("");
  return `<section class="suite"><h2>Suite ${e(s.name)} against the champion <code>${e(source)}</code></h2>
<div class="scroll"><table class="scores"><thead><tr><th>Metric</th><th>Champion</th><th>Adapter</th><th>Δ</th><th>95 % CI</th><th>p</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function metricRow(m: MetricResult): string {
  const p = m.test === "none" ? "—" : `${formatP(m.pValue)} (${m.test})`;
  const numbers = [
    formatScore(m, m.base),
    formatScore(m, m.adapter),
    formatDelta(m, m.difference),
    formatInterval(m, m.ci95),
  ];
  const cells = numbers.map((c) => `<td class="num">${e(c)}</td>`).join("");
  return `<tr><td>${e(m.metric)}</td>${cells}<td>${e(p)}</td><td class="verdict-${m.verdict}">${e(VERDICT_LABEL[m.verdict])}</td></tr>`;
}

export function gatesSection(gates: Gate[]): string {
  if (gates.length === 0) return "";
  const rows = gates.map(
    (g) =>
      `<tr><td>${e(g.metric)}</td><td><code>${e(g.expression)}</code></td><td>${e(formatNumber(g.actual))}</td><td>${e(formatNumber(g.threshold))}</td>` +
      `<td class="${g.passed ? "pass" : "fail"}">${g.passed ? "passed" : "FAILED"}</td></tr>`,
  );
  return `<section id="gates"><h2>Gates</h2><table><thead><tr><th>Metric</th><th>Gate</th><th>Actual</th><th>Threshold</th><th>Result</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

export function examplesSection(s: Suite): string {
  if (s.disagreements.length === 0) return "";
  const items = s.disagreements.map(
    (d) => `<div class="example"><h3>Case ${d.index}</h3><dl>
<dt>Prompt</dt><dd><pre>${e(d.prompt)}</pre></dd><dt>Reference</dt><dd><pre>${e(d.reference)}</pre></dd>
<dt>Base</dt><dd><pre>${e(d.base)}</pre></dd><dt>Adapter</dt><dd><pre>${e(d.adapter)}</pre></dd></dl></div>`,
  );
  return `<section class="examples"><h2>Where base and adapter disagree: ${e(s.name)}</h2>${items.join("")}</section>`;
}

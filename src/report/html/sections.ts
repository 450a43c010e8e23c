import { OUTCOME_LABEL, formatCount, regressions, formatDelta } from "../numbers.js";
import { trainingFacts } from "../training-facts.js";
import type { Report, Training } from "../schema.js";
import { lineChart } from "../svg/line-chart.js";
import { escapeHtml as e } from "./escape.js";

/** Title, outcome badge, run facts and any regressions, above everything else. */
export function overview(report: Report): string {
  const s = report.outcome.status;
  const facts: [string, string][] = [
    [
      "Base model",
      report.base_model + (report.base_model_revision ? ` @ ${report.base_model_revision}` : ""),
    ],
    ["Runtime", report.runtime],
    ["Config", `${report.config.file} (sha256 ${report.config.hash.slice(0, 12)})`],
    ["Started", report.created_at],
    ["Finished", report.finished_at],
    ...report.datasets.map((d): [string, string] => [
      "Data",
      `${d.source} (${d.format}, ${d.template}): ${formatCount(d.rows)} rows → ${formatCount(d.train)} train, ${formatCount(d.eval)} eval${d.eval_source ? ` from ${d.eval_source}` : ""}`,
    ]),
  ];
  if (report.cost) {
    const c = report.cost;
    facts.push([
      "Cost",
      `${c.gpu_hours.toFixed(3)} ${c.gpus > 0 ? "GPU" : "CPU"}-hours × ${c.price_per_gpu_hour} ${c.currency} = ${c.total.toFixed(2)} ${c.currency}`,
    ]);
  }
  const worse = regressions(report);
  const callout = worse.length
    ? `<p class="callout"><strong>Regressions:</strong> ${worse.map((m) => e(`${m.suite}/${m.metric} got worse (${formatDelta(m, m.difference)})`)).join("; ")}</p>`
    : "";
  return `<header><h1>Run ${e(report.run_id)}</h1>
<p><span class="badge outcome-${s}">${e(OUTCOME_LABEL[s])}</span>${report.outcome.message ? ` ${e(report.outcome.message)}` : ""}</p></header>
<section id="overview"><h2>Overview</h2>${callout}${factTable(facts)}</section>`;
}

export function training(t: Training | null): string {
  if (!t) return `<section id="training"><h2>Training</h2><p>The trainer never started.</p></section>`;
  const facts = trainingFacts(t);
  const lossChart = lineChart({
    label: "training and eval loss by step",
    yLabel: "loss",
    series: [
      { name: "train loss", points: t.curves.loss, style: "line", className: "series-0" },
      { name: "eval loss (step 0: base)", points: t.curves.eval_loss, style: "dots", className: "series-1" },
    ],
  });
  const lrChart = lineChart({
    label: "learning rate by step",
    yLabel: "learning rate",
    series: [{ name: "learning rate", points: t.curves.lr, style: "line", className: "series-lr" }],
  });
  return `<section id="training"><h2>Training</h2>${factTable(facts)}
<h3>Loss</h3>${lossChart}<h3>Learning rate</h3>${lrChart}</section>`;
}

export function factTable(facts: [string, string][]): string {
  const rows = facts.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`);
  return `<table class="facts">${rows.join("")}</table>`;
}

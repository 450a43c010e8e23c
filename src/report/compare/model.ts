import { formatDelta, formatInterval, formatNumber, formatScore, formatSeconds } from "../numbers.js";
import type { Training } from "../schema.js";
import type { ComparedRun } from "./collect.js";

export interface Row {
  label: string;
  /** One cell per run; "—" where the run has no value. */
  cells: string[];
}

export interface Comparison {
  runs: { id: string; status: string }[];
  /** Config keys whose values differ between the runs (a key a run lacks counts as a difference). */
  config: Row[];
  metrics: Row[];
}

const NONE = "—";

export function compareRuns(runs: ComparedRun[]): Comparison {
  return {
    runs: runs.map(({ id, status }) => ({ id, status })),
    config: configDifferences(runs),
    metrics: [...trainingRows(runs), ...suiteRows(runs), ...gateRows(runs)],
  };
}

function configDifferences(runs: ComparedRun[]): Row[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  return keys
    .map((label) => ({ label, cells: runs.map((run) => run.params[label] ?? NONE) }))
    .filter((row) => new Set(row.cells).size > 1);
}

const TRAINING: [string, (t: Training) => string][] = [
  ["steps", (t) => String(t.steps)],
  ["train loss (final)", (t) => formatNumber(t.final_train_loss)],
  [
    "eval loss: base → final",
    (t) => `${formatNumber(t.base_eval_loss)} → ${formatNumber(t.final_eval_loss)}`,
  ],
  [
    "best eval loss",
    (t) => (t.best_eval_step === null ? NONE : `${formatNumber(t.best_eval_loss)} @ ${t.best_eval_step}`),
  ],
  ["tokens/s", (t) => formatNumber(t.tokens_per_s)],
  ["wall time", (t) => formatSeconds(t.wall_time_s)],
];

function trainingRows(runs: ComparedRun[]): Row[] {
  const rows = TRAINING.map(([label, cell]) => ({
    label,
    cells: runs.map((r) => (r.training ? cell(r.training) : NONE)),
  }));
  return [{ label: "outcome", cells: runs.map((r) => r.status) }, ...rows];
}

/** Each suite metric: the adapter's score, and its difference from the base with the 95 % interval. */
function suiteRows(runs: ComparedRun[]): Row[] {
  const labels = new Set(
    runs.flatMap((r) => r.report?.suites.flatMap((s) => s.metrics.map((m) => `${s.name}/${m.metric}`)) ?? []),
  );
  return [...labels].map((label) => ({
    label,
    cells: runs.map((run) => {
      const m = run.report?.suites.flatMap((s) => s.metrics).find((x) => `${x.suite}/${x.metric}` === label);
      if (!m) return NONE;
      return `${formatScore(m, m.adapter)} (${formatDelta(m, m.difference)} ${formatInterval(m, m.ci95)})`;
    }),
  }));
}

function gateRows(runs: ComparedRun[]): Row[] {
  const labels = new Set(
    runs.flatMap((r) => r.report?.gates.map((g) => `gate ${g.metric} ${g.expression}`) ?? []),
  );
  return [...labels].map((label) => ({
    label,
    cells: runs.map((run) => {
      const gate = run.report?.gates.find((g) => `gate ${g.metric} ${g.expression}` === label);
      return gate ? (gate.passed ? "passed" : "FAILED") : NONE;
    }),
  }));
}

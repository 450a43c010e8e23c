import { formatDuration } from "../../launch/index.js";
import { uploadLines, type RunState } from "../../run/index.js";
import type { UploadResult } from "../../checkpoints/index.js";
import { renderResults } from "../eval/render.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The short end-of-run summary: where the adapter is, and base vs adapter on the held-out split. */
export function printSummary(state: RunState, uploads: UploadResult[] | undefined, json: boolean): void {
  const { paths, startedAt } = state.setup;
  const trained = state.get("train");
  const evaluated = state.get("evaluate");
  const metrics = trained?.outcome.done?.metrics;
  const summary = {
    run: paths.id,
    runDir: paths.dir,
    adapter: paths.adapter,
    seconds: Math.round((Date.now() - startedAt) / 1000),
    steps: metrics?.steps,
    trainLoss: metrics?.train_loss,
    evalLoss: { base: trained?.baseEvalLoss ?? null, adapter: metrics?.eval_loss ?? null },
    exactMatch: evaluated?.exactMatch
      ? { n: evaluated.exactMatch.n, base: evaluated.exactMatch.base, adapter: evaluated.exactMatch.adapter }
      : null,
    suites: evaluated?.suites ?? [],
    gates: evaluated?.gates ?? [],
    report: state.get("report")?.html ?? null,
    uploads: uploads?.map((u) => ({
      what: u.job.label,
      uri: u.uri,
      ok: u.ok,
      bytes: u.bytes,
      error: u.error,
    })),
  };
  if (json) {
    process.stdout.write(JSON.stringify({ v: 1, type: "summary", ...summary }) + "\n");
    return;
  }
  const lines = [
    "",
    `run ${summary.run} finished in ${formatDuration(summary.seconds)} (${summary.steps} steps, train loss ${metrics?.train_loss.toFixed(4)})`,
    `  adapter      ${summary.adapter}`,
  ];
  if (summary.report) lines.push(`  report       ${summary.report} (and report.md, report.json)`);
  if (summary.evalLoss.base !== null && summary.evalLoss.adapter !== null) {
    lines.push(
      `  eval loss    base ${summary.evalLoss.base.toFixed(4)} → adapter ${summary.evalLoss.adapter.toFixed(4)}`,
    );
  }
  const em = evaluated?.exactMatch;
  if (em)
    lines.push(`  exact match  base ${pct(em.base)} → adapter ${pct(em.adapter)} (n=${em.n} held-out cases)`);
  lines.push(...uploadLines(uploads));
  if (summary.suites.length > 0) lines.push("", renderResults(summary.suites, summary.gates).trimEnd());
  process.stdout.write(lines.join("\n") + "\n");
}

import { formatDuration } from "../../launch/index.js";
import { renderResults } from "../eval/render.js";
import type { RunContext } from "./context.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The short end-of-run summary: where the adapter is, and base vs adapter on the held-out split. */
export function printSummary(ctx: RunContext): void {
  const metrics = ctx.outcome?.done?.metrics;
  const summary = {
    run: ctx.paths.id,
    runDir: ctx.paths.dir,
    adapter: ctx.paths.adapter,
    seconds: Math.round((Date.now() - ctx.startedAt) / 1000),
    steps: metrics?.steps,
    trainLoss: metrics?.train_loss,
    evalLoss: { base: ctx.baseEvalLoss ?? null, adapter: metrics?.eval_loss ?? null },
    exactMatch: ctx.exactMatch
      ? { n: ctx.exactMatch.n, base: ctx.exactMatch.base, adapter: ctx.exactMatch.adapter }
      : null,
    suites: ctx.suiteResults ?? [],
    gates: ctx.gateResults ?? [],
    report: ctx.reportPath ?? null,
    uploads: ctx.uploads?.map((u) => ({
      what: u.job.label,
      uri: u.uri,
      ok: u.ok,
      bytes: u.bytes,
      error: u.error,
    })),
  };
  if (ctx.json) {
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
  if (ctx.exactMatch) {
    const em = ctx.exactMatch;
    lines.push(`  exact match  base ${pct(em.base)} → adapter ${pct(em.adapter)} (n=${em.n} held-out cases)`);
  }
  lines.push(...uploadLines(ctx));
  if (summary.suites.length > 0) lines.push("", renderResults(summary.suites, summary.gates).trimEnd());
  process.stdout.write(lines.join("\n") + "\n");
}

/** One line for what reached the s3:// store and one per thing that did not. */
export function uploadLines(ctx: RunContext): string[] {
  if (!ctx.uploads) return [];
  const done = ctx.uploads.filter((u) => u.ok);
  const mb = done.reduce((sum, u) => sum + (u.bytes ?? 0), 0) / 1e6;
  const lines = [
    `  uploaded     ${done.length}/${ctx.uploads.length} to the store (${mb.toFixed(1)} MB): ${done.map((u) => u.job.label).join(", ") || "nothing"}`,
  ];
  for (const u of ctx.uploads.filter((u) => !u.ok)) lines.push(`  NOT uploaded ${u.job.label}: ${u.error}`);
  return lines;
}

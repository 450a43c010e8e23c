import { join } from "node:path";
import { buildReport, writeReport } from "../../report/index.js";
import type { RunContext } from "./context.js";

/**
 * Writes report.json/md/html after every run that reached training — done, failed or interrupted — so
 * there is always something to read. Eval results and gates are included when the run got that far.
 */
export async function writeRunReport(ctx: RunContext): Promise<void> {
  if (!ctx.outcome) return;
  const report = await buildReport({
    runDir: ctx.paths.dir,
    runId: ctx.paths.id,
    configFile: ctx.configFile,
    configHash: ctx.configHash,
    baseModel: ctx.config.base_model,
    baseModelRevision: ctx.hubModel?.sha,
    runtime: ctx.config.runtime.type,
    status: ctx.outcome.status,
    message: ctx.outcome.error ? `[${ctx.outcome.error.code}] ${ctx.outcome.error.message}` : null,
    suites: (ctx.suiteResults ?? []).map((suite) => ({
      name: suite.name,
      cases: suite.cases,
      metrics: suite.metrics,
      disagreements: suite.disagreements.map(({ index, prompt, reference, base, adapter }) => ({
        index,
        prompt,
        reference,
        base,
        adapter,
      })),
    })),
    gates: ctx.gateResults ?? [],
    pricePerGpuHour: ctx.config.cost.price_per_gpu_hour ?? null,
    currency: ctx.config.cost.currency,
    gpus: ctx.gpus ?? 0,
    createdAt: ctx.createdAt,
  });
  await writeReport(ctx.paths.dir, report);
  ctx.reportPath = join(ctx.paths.dir, "report.html");
}

import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Suite, defaultSuite, evaluateGates, runSuite } from "../../eval/index.js";
import type { RunContext } from "./context.js";

/**
 * Evaluates base vs adapter on the config's suites (or, with none, the default held-out suite), one
 * generation job per suite, then checks eval.gates against the results.
 */
export async function evaluate(ctx: RunContext, task: { output: string | undefined }): Promise<void> {
  const suites = runnableSuites(ctx);
  ctx.suiteResults = [];
  for (const suite of suites) {
    task.output = `suite ${suite.name}: generating with the base model and the adapter`;
    ctx.suiteResults.push(
      await runSuite(suite, {
        python: ctx.python!,
        baseModel: ctx.baseModel!,
        adapterDir: ctx.paths.adapter,
        heldoutFile: ctx.evalFile ?? undefined,
        templateName: ctx.config.datasets[0]!.template,
        modelDir: existsSync(join(ctx.baseModel!, "tokenizer_config.json")) ? ctx.baseModel : undefined,
        outDir: ctx.paths.eval,
        device: ctx.config.device,
        seed: ctx.config.training.seed,
        generate: ctx.config.eval.generate,
        logPath: ctx.paths.trainerLog,
      }),
    );
  }
  ctx.gateResults = evaluateGates(
    ctx.config.eval.gates,
    ctx.suiteResults.flatMap((r) => r.metrics),
  );
  ctx.exactMatch = exactMatchSummary(ctx);
}

/** The suites to run: the config's, or the default held-out one when there is a held-out split. */
export function runnableSuites(ctx: RunContext): Suite[] {
  if (ctx.suites && ctx.suites.length > 0) {
    return ctx.suites.filter((suite) => suite.cases.source === "file" || Boolean(ctx.evalFile));
  }
  return ctx.evalFile ? [defaultSuite()] : [];
}

// The end-of-run summary's exact-match line, from the first suite that measured it.
function exactMatchSummary(ctx: RunContext): RunContext["exactMatch"] {
  for (const result of ctx.suiteResults ?? []) {
    const metric = result.metrics.find((m) => m.metric === "exact_match");
    if (!metric) continue;
    const disagreements = result.disagreements.filter((d) => d.metrics.includes("exact_match"));
    return { n: metric.n, base: metric.base, adapter: metric.adapter, disagreements };
  }
  return undefined;
}

import { startTracking } from "../../tracking/index.js";
import type { RunContext } from "./context.js";

/**
 * The run's one hook into tracking: a tracker started before training (this task), fed every trainer event
 * (train-task), finished after the report (run.ts) with the run's status.
 */
export async function startTracker(ctx: RunContext, task: { output: string | undefined; title: string }) {
  // Tracking is never worth a lost run: whatever goes wrong in starting it is a warning.
  ctx.tracker = await startTracking({
    runId: ctx.paths.id,
    runDir: ctx.paths.dir,
    config: ctx.config,
    configFile: ctx.configFile,
    configHash: ctx.configHash,
    baseModel: ctx.config.base_model,
    resolvedModel: ctx.baseModel ?? ctx.config.base_model,
    runtime: ctx.config.runtime.type,
    trainFile: ctx.trainFile,
    evalFile: ctx.evalFile,
    log: {
      warn: (line) => process.stderr.write(`warning: ${line}\n`),
      info: (line) => (task.output = line),
      progress: (line) => (task.output = line),
    },
  }).catch((error: unknown) => {
    process.stderr.write(
      `warning: tracking could not start (${String(error)}); training goes on without it\n`,
    );
    return undefined;
  });
  if (ctx.tracker) task.title = `Tracking (${ctx.tracker.systems.join("; ") || "nothing could start"})`;
}

/** After the report is written; a run that never reached training has no tracker. */
export async function finishTracker(ctx: RunContext): Promise<void> {
  await ctx.tracker?.finish(ctx.outcome?.status ?? "failed");
}

export const tracks = (ctx: RunContext) => ctx.config.tracking !== undefined;

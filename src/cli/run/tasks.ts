import { Listr, type ListrRendererValue } from "listr2";
import type { RunContext } from "./context.js";
import { validateData, formatData } from "./data-tasks.js";
import { prepareEnvironment, resolveModel, renderSpec, preflight, dockerEngine } from "./setup-tasks.js";
import { train } from "./train-task.js";
import { evaluate, runnableSuites } from "./eval-task.js";
import { startTracker, tracks } from "./tracking.js";

/**
 * `pipeline run` as one flat, declarative task list. Resumed runs skip the data stages (the formatted
 * splits are already in the run directory and must not change under a resumed optimizer).
 */
const fresh = (ctx: RunContext) => !ctx.resume;
const usesDocker = (ctx: RunContext) => ctx.config.runtime.type === "docker";
const hasEval = (ctx: RunContext) => runnableSuites(ctx).length > 0 && ctx.outcome?.status === "done";

export function runTasks(ctx: RunContext): Listr<RunContext, ListrRendererValue, ListrRendererValue> {
  return new Listr<RunContext, ListrRendererValue, ListrRendererValue>(
    [
      { title: "Validate data", enabled: fresh, task: validateData },
      { title: "Python environment", task: prepareEnvironment },
      { title: "Base model", task: resolveModel },
      { title: "Docker engine", enabled: usesDocker, task: dockerEngine },
      { title: "Format", enabled: fresh, task: formatData },
      { title: "Render training spec", task: renderSpec },
      { title: "Preflight", task: preflight },
      { title: "Tracking", enabled: tracks, task: startTracker },
      { title: "Train", task: train, rendererOptions: { bottomBar: 1, persistentOutput: true } },
      { title: "Evaluate base vs adapter", skip: (ctx) => !hasEval(ctx), task: evaluate },
    ],
    {
      ctx,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: ctx.json ? "silent" : process.stdout.isTTY && !process.env.CI ? "default" : "simple",
      fallbackRenderer: "simple",
      rendererOptions: { collapseErrors: false, collapseSubtasks: false },
    },
  );
}

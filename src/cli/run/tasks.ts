import { Listr, type ListrRendererValue } from "listr2";
import { RUN_STAGES, runStage, type Progress, type RunState } from "../../run/index.js";
import type { TrainerEvent } from "../../launch/index.js";

/**
 * `pipeline run` as one flat listr2 task list over the run stages (src/run): this file only renders. The
 * renderer is picked from the environment: none with --json (events go to stdout as JSON lines), simple
 * lines off a TTY or in CI, the live one otherwise.
 */
export function runTasks(
  state: RunState,
  json: boolean,
): Listr<RunState, ListrRendererValue, ListrRendererValue> {
  return new Listr<RunState, ListrRendererValue, ListrRendererValue>(
    RUN_STAGES.map((stage) => ({
      title: stage.title,
      enabled: () => stage.when?.(state) ?? true,
      task: (_: RunState, task: { output: string | undefined; title: string }) =>
        runStage(stage, state, progressOf(task, json)),
      ...(stage.key === "train" && { rendererOptions: { bottomBar: 1, persistentOutput: true } }),
    })),
    {
      ctx: state,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: json ? "silent" : process.stdout.isTTY && !process.env.CI ? "default" : "simple",
      fallbackRenderer: "simple",
      rendererOptions: { collapseErrors: false, collapseSubtasks: false },
    },
  );
}

function progressOf(task: { output: string | undefined; title: string }, json: boolean): Progress {
  return {
    output: (line) => (task.output = line),
    title: (text) => (task.title = text),
    ...(json && { event: (event: TrainerEvent) => process.stdout.write(JSON.stringify(event) + "\n") }),
  };
}

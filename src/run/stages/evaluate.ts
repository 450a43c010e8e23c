import {
  defaultPreferenceSuite,
  defaultSuite,
  evaluateGates,
  runSuite,
  type Suite,
} from "../../eval/index.js";
import { readRecordFile, writeRecord } from "../../run-dir/index.js";
import type { RunState, Stage, StageResults } from "../state.js";

/**
 * Base vs adapter on the config's suites (or, with none, the default held-out suite), one generation job per
 * suite where the runtime runs (the same machine and GPUs as training), then eval.gates on the results.
 */
export const evaluateStage: Stage<"evaluate"> = {
  key: "evaluate",
  title: "Evaluate base vs adapter",
  when: (state) => runnableSuites(state).length > 0 && state.get("train")?.outcome.status === "done",
  async run(state, progress): Promise<StageResults["evaluate"]> {
    const { config, paths, runtime } = state.setup;
    const { baseModel, modelDir } = state.need("model");
    const evalFile = state.need("format").eval;
    const suites = [];
    for (const suite of runnableSuites(state)) {
      const champion = state.setup.champion ? ` and the champion (${state.setup.champion.source})` : "";
      progress.output(`suite ${suite.name}: generating with the base model, the adapter${champion}`);
      suites.push(
        await runSuite(suite, {
          generator: (job) => runtime.generate(job),
          runId: paths.id,
          baseModel,
          adapterDir: paths.adapter,
          championDir: state.setup.champion?.adapter,
          heldoutFile: evalFile ?? undefined,
          templateName: config.datasets[0]!.template,
          modelDir,
          outDir: paths.eval,
          device: config.device,
          seed: config.training.seed,
          generate: config.eval.generate,
          logPath: paths.trainerLog,
        }),
      );
    }
    await recordWhere(state);
    const gates = evaluateGates(
      config.eval.gates,
      suites.flatMap((r) => r.metrics),
      suites.flatMap((r) => r.champion ?? []),
    );
    return { suites, gates, exactMatch: exactMatchSummary(suites) };
  },
};

/**
 * The suites to run: the config's, or the default held-out one when there is a held-out split — generated
 * and scored for sft, its pairs scored by log-probability for dpo. A kto held-out split holds labelled single
 * answers, not cases or pairs: the trainer's eval events measure it.
 */
export function runnableSuites(state: RunState): Suite[] {
  const { method } = state.setup.config.training;
  const evalFile = method === "kto" ? undefined : state.get("format")?.eval;
  const { suites } = state.setup;
  if (suites.length > 0) return suites.filter((suite) => suite.cases.source === "file" || Boolean(evalFile));
  if (!evalFile) return [];
  return [method === "dpo" ? defaultPreferenceSuite() : defaultSuite()];
}

/** run.json says where generation ran, beside where training ran. */
async function recordWhere(state: RunState): Promise<void> {
  const { paths } = state.setup;
  const current = await readRecordFile(paths.record);
  const placement = state.need("placement");
  await writeRecord(paths, { ...current, evaluatedOn: placement.evaluatedOn ?? placement.where });
}

// The end-of-run summary's exact-match line, from the first suite that measured it.
function exactMatchSummary(
  suites: StageResults["evaluate"]["suites"],
): StageResults["evaluate"]["exactMatch"] {
  for (const result of suites) {
    const metric = result.metrics.find((m) => m.metric === "exact_match");
    if (!metric) continue;
    const disagreements = result.disagreements.filter((d) => d.metrics.includes("exact_match"));
    return { n: metric.n, base: metric.base, adapter: metric.adapter, disagreements };
  }
  return undefined;
}

import { buildReport, writeReport } from "../../report/index.js";
import { storeOutcome } from "../store/stored.js";
import type { RunState } from "../state.js";

/**
 * Writes report.json/md/html after every run that reached training — done, failed or interrupted — so
 * there is always something to read. Eval results and gates are included when the run got that far.
 * Returns report.html's path, or undefined when the run never trained.
 */
export async function writeRunReport(state: RunState): Promise<string | undefined> {
  const trained = state.get("train");
  if (!trained) return undefined;
  const { paths, configFile, configHash, config, createdAt } = state.setup;
  const { outcome } = trained;
  const evaluated = state.get("evaluate");
  const report = await buildReport({
    runDir: paths.dir,
    runId: paths.id,
    configFile,
    configHash,
    baseModel: config.base_model,
    baseModelRevision: state.get("model")?.hub?.sha,
    runtime: config.runtime.type,
    status: outcome.status,
    message: outcome.error ? `[${outcome.error.code}] ${outcome.error.message}` : null,
    suites: (evaluated?.suites ?? []).map((suite) => ({
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
      ...(suite.champion ? { champion: suite.champion } : {}),
    })),
    champion: state.setup.champion
      ? { source: state.setup.champion.source, run_id: state.setup.champion.runId ?? null }
      : null,
    gates: evaluated?.gates ?? [],
    pricePerGpuHour: config.cost.price_per_gpu_hour ?? null,
    currency: config.cost.currency,
    gpus: state.get("placement")?.gpus.length ?? 0,
    createdAt,
    store: storeOutcome(config.checkpoints, trained.uploads),
  });
  await writeReport(paths.dir, report);
  state.set("report", { html: paths.report.html });
  return paths.report.html;
}

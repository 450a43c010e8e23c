import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Generator, generatePair } from "../generate.js";
import { compareMetric } from "../stats/index.js";
import type { Suite } from "../suite/index.js";
import type { MetricResult } from "../types.js";
import { type CasesSource, writeCasesFile } from "./cases-file.js";
import { againstChampion, type ScoredCase, scoreCases } from "./score.js";

export interface RunSuiteOptions extends CasesSource {
  /** The run's runtime's generation (src/launch): where training ran, generation runs. */
  generator: Generator;
  runId: string;
  /** A model directory or hub id, as generate.py loads it. */
  baseModel: string;
  adapterDir: string;
  /** eval.compare_to's adapter: generated in the same job, compared with the new adapter like the base is. */
  championDir?: string;
  /** Results go to `<outDir>/<suite name>/`. */
  outDir: string;
  device: string;
  seed: number;
  /** The run's eval.generate settings; the suite's own `generate:` overrides them. */
  generate?: { max_new_tokens?: number; batch_size?: number };
  logPath: string;
}

/** A case the two models disagree on: some pass/fail metric passes for one and fails for the other. */
export interface Disagreement {
  index: number;
  prompt: string;
  reference: string;
  base: string;
  adapter: string;
  /** The metrics that differ, e.g. ["exact_match"]; empty when the suite has no pass/fail metric. */
  metrics: string[];
}

export interface SuiteResult {
  name: string;
  cases: number;
  metrics: MetricResult[];
  /** At most MAX_DISAGREEMENTS of them, in case order. */
  disagreements: Disagreement[];
  /** `<outDir>/<suite>/generations.jsonl`. */
  generationsFile: string;
  /** Champion vs the new adapter (`base` is the champion's value), when eval.compare_to is set. */
  champion?: MetricResult[];
}

export const MAX_DISAGREEMENTS = 50;

/**
 * Runs one suite: its cases formatted with the adapter's template, one generation job for base and
 * adapter, every scorer on every case (saved with the generations), and a paired comparison per metric.
 */
export async function runSuite(suite: Suite, options: RunSuiteOptions): Promise<SuiteResult> {
  const dir = join(options.outDir, suite.name);
  await mkdir(dir, { recursive: true });
  const casesFile = join(dir, "cases.jsonl");
  const cases = await writeCasesFile(suite, options, casesFile);
  const settings = {
    max_new_tokens: 128,
    batch_size: 8,
    ...options.generate,
    ...definedOnly(suite.generate),
  };
  const raw = { base: join(dir, ".base.jsonl"), adapter: join(dir, ".adapter.jsonl") };
  const championOut = join(dir, ".champion.jsonl");
  const generations = await generatePair(options.generator, {
    runId: options.runId,
    model: options.baseModel,
    adapter: options.adapterDir,
    baseOut: raw.base,
    out: raw.adapter,
    prompts: casesFile,
    batchSize: settings.batch_size,
    maxNewTokens: settings.max_new_tokens,
    device: options.device,
    seed: options.seed,
    logPath: options.logPath,
    champion: options.championDir ? { adapter: options.championDir, out: championOut } : undefined,
  });
  const scored = await scoreCases(suite.scorers, generations.base, generations.adapter);
  const generationsFile = join(dir, "generations.jsonl");
  await writeFile(generationsFile, scored.map((c) => JSON.stringify(c) + "\n").join(""));
  const metrics = compareAll(suite, options.seed, scored);
  const result = {
    name: suite.name,
    cases,
    metrics,
    disagreements: disagreements(suite, scored),
    generationsFile,
  };
  if (generations.champion) {
    // Champion in the base's place: the same paired tests, the same scorers, the same cases.
    const against = await againstChampion(suite.scorers, scored, generations.champion);
    await writeFile(join(dir, "champion.jsonl"), against.map((c) => JSON.stringify(c.base) + "\n").join(""));
    Object.assign(result, { champion: compareAll(suite, options.seed, against) });
  }
  await Promise.all([raw.base, raw.adapter, championOut].map((file) => rm(file, { force: true })));
  return result;
}

/** One paired comparison per scorer: `base` of the scored cases against `adapter`. */
function compareAll(suite: Suite, seed: number, scored: readonly ScoredCase[]): MetricResult[] {
  return suite.scorers.map((scorer) =>
    compareMetric({
      suite: suite.name,
      metric: scorer.name,
      kind: scorer.definition.kind,
      higherIsBetter: scorer.definition.higherIsBetter,
      base: scored.map((c) => c.base.scores[scorer.name] ?? Number.NaN),
      adapter: scored.map((c) => c.adapter.scores[scorer.name] ?? Number.NaN),
      seed,
    }),
  );
}

function disagreements(suite: Suite, scored: readonly ScoredCase[]): Disagreement[] {
  const binary = suite.scorers.filter((s) => s.definition.kind === "binary").map((s) => s.name);
  const found: Disagreement[] = [];
  for (const c of scored) {
    const metrics = binary.filter((name) => c.base.scores[name] !== c.adapter.scores[name]);
    const differs = binary.length > 0 ? metrics.length > 0 : c.base.output !== c.adapter.output;
    if (!differs) continue;
    found.push({
      index: c.index,
      prompt: c.prompt,
      reference: c.reference,
      base: c.base.output,
      adapter: c.adapter.output,
      metrics,
    });
    if (found.length === MAX_DISAGREEMENTS) break;
  }
  return found;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

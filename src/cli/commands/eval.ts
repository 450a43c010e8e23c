import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "../../errors/index.js";
import {
  type GateResult,
  type SuiteResult,
  evaluateGates,
  loadSuites,
  parseGateFlag,
  runSuite,
} from "../../eval/index.js";
import { localRuntime, resolveBaseModel } from "../../launch/index.js";
import { renderResults } from "../eval/render.js";
import { checkServing, servedOptions, servingLines, type ServedSuite } from "../eval/served.js";

export interface EvalOptions {
  base: string;
  adapter: string;
  suite: string[];
  template: string;
  heldout?: string;
  out: string;
  device: string;
  seed: string;
  gate?: string[];
  compareTo?: string;
  python?: string;
  json?: boolean;
  /** Serving parity: an OpenAI-compatible server's answers against the pipeline's own (served-parity.ts). */
  endpoint?: string;
  servedModel?: string;
  minAgreement?: string;
}

/**
 * `pipeline eval`: base vs adapter on one or more suites. Every suite, scorer option and gate is checked
 * before any model is loaded. Exit 1 when a gate fails.
 */
export async function evalCommand(options: EvalOptions): Promise<number> {
  const gates = Object.fromEntries((options.gate ?? []).map(parseGateFlag));
  const namesChampion = Object.entries(gates).find(([, expression]) => /\bchampion\b/.test(expression));
  if (namesChampion && options.compareTo === undefined) {
    throw new UsageError(
      "invalid-gate",
      `--gate ${namesChampion[0]}: ${namesChampion[1]} names the champion`,
      {
        hint: "give the champion adapter with --compare-to <dir>, or compare with base or a number",
      },
    );
  }
  const seed = parseSeed(options.seed);
  const served = servedOptions(options);
  const suites = await loadSuites(options.suite);
  checkAdapter(options.adapter, "--adapter");
  if (options.compareTo !== undefined) checkAdapter(options.compareTo, "--compare-to");
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  // Standalone evaluation generates on this machine (the local runtime), with --python or the managed venv.
  const runtime = localRuntime({ type: "local", python: options.python, processes: 1 });
  const baseModel = resolveBaseModel(options.base);
  const outDir = resolve(options.out);
  await runtime.prepare({
    runId: "eval",
    runDir: outDir,
    device: deviceOf(options.device),
    baseModel,
    inputs: [],
    onProgress: progress,
  });
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    process.stderr.write(`› suite ${suite.name}: generating with the base model and the adapter\n`);
    results.push(
      await runSuite(suite, {
        generator: (job) => runtime.generate(job),
        runId: "eval",
        baseModel,
        adapterDir: resolve(options.adapter),
        championDir: options.compareTo && resolve(options.compareTo),
        heldoutFile: options.heldout && resolve(options.heldout),
        templateName: options.template,
        // The same rule as `pipeline run`: a local model lends the template its own special tokens.
        modelDir: existsSync(join(baseModel, "tokenizer_config.json")) ? baseModel : undefined,
        outDir,
        device: options.device,
        seed,
        logPath: join(outDir, "generate.log"),
      }),
    );
  }
  const gateResults = evaluateGates(
    gates,
    results.flatMap((r) => r.metrics),
    results.flatMap((r) => r.champion ?? []),
  );
  const serving = served ? await checkServing(results, suites, served) : undefined;
  await writeResults(outDir, results, gateResults, serving);
  process.stdout.write(
    options.json
      ? JSON.stringify({ ...summary(results, gateResults), ...(serving && { serving }) }) + "\n"
      : renderResults(results, gateResults) + (serving ? servingLines(serving) : ""),
  );
  const servingPassed = serving?.every((s) => s.passed) ?? true;
  return gateResults.every((g) => g.passed) && servingPassed ? 0 : 1;
}

function summary(suites: SuiteResult[], gates: GateResult[]) {
  return { suites, gates, passed: gates.every((g) => g.passed) };
}

async function writeResults(
  outDir: string,
  suites: SuiteResult[],
  gates: GateResult[],
  serving?: ServedSuite[],
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const results = { ...summary(suites, gates), ...(serving && { serving }) };
  await writeFile(join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
}

function checkAdapter(dir: string, flag: string): void {
  if (!existsSync(join(dir, "adapter_config.json"))) {
    throw new UsageError(
      "adapter-missing",
      `${flag} ${dir} is not a PEFT adapter directory (no adapter_config.json)`,
      {
        hint: `point ${flag} at a run's adapter/ directory (runs/<id>/adapter) or a checkpoint folder`,
      },
    );
  }
}

function deviceOf(device: string): "auto" | "cpu" | "cuda" {
  if (device === "auto" || device === "cpu" || device === "cuda") return device;
  throw new UsageError("invalid-device", `--device ${device}: expected auto, cpu or cuda`);
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new UsageError("invalid-seed", `--seed ${text}: expected a whole number ≥ 0`);
  }
  return seed;
}

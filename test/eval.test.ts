import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePython } from "../src/launch/index.js";
import { hasStackTrace, pipeline, root } from "./helpers/cli.js";
import { workspace } from "./helpers/workspace.js";

// End-to-end: `pipeline eval` on the built binary, a tiny model made by scripts/make_tiny_model.py and a
// random non-zero LoRA adapter (so base and adapter really differ), generating with docker/generate.py.
const SCORERS = ["exact_match", "json_valid", "contains", "rouge_l", "token_f1", "loss", "latency_s"];

const quickstartCases = (n: number) =>
  readFileSync(join(root, "datasets/quickstart/eval.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, n)
    .map((line) => {
      const { messages } = JSON.parse(line) as { messages: { content: string }[] };
      return JSON.stringify({ prompt: messages[0]!.content, reference: messages[1]!.content }) + "\n";
    })
    .join("");

const SUITE = [
  "name: demo",
  "cases: cases.jsonl",
  "generate: { max_new_tokens: 16, batch_size: 4 }",
  "scorers:",
  "  - exact_match",
  "  - json_valid",
  '  - contains: { any: ["words"] }',
  "  - rouge_l",
  "  - token_f1",
  "  - loss",
  "  - latency_s",
  "",
].join("\n");

const ADAPTER = `
import sys, torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM
torch.manual_seed(0)
base = AutoModelForCausalLM.from_pretrained(sys.argv[1])
config = LoraConfig(r=4, lora_alpha=64, target_modules="all-linear", init_lora_weights=False)
get_peft_model(base, config).save_pretrained(sys.argv[2])
`;

let cwd: string;
let env: NodeJS.ProcessEnv;

function python(args: string[]): void {
  const done = spawnSync(env.PIPELINE_PYTHON!, args, { cwd, env, encoding: "utf8", timeout: 300_000 });
  if (done.status !== 0) throw new Error(`${args.join(" ")} failed:\n${done.stderr}`);
}

const evalArgs = (suite: string, ...extra: string[]) => [
  "eval",
  "--base",
  "model",
  "--adapter",
  "adapter",
  "--suite",
  suite,
  "--device",
  "cpu",
  ...extra,
];

beforeAll(async () => {
  cwd = await workspace({ "suite.yaml": SUITE, "cases.jsonl": quickstartCases(8) });
  env = { ...process.env, PIPELINE_PYTHON: await ensurePython(), OMP_NUM_THREADS: "1", CI: "1" };
  python([join(root, "scripts/make_tiny_model.py"), "--out", "model", "--steps", "20"]);
  python(["-c", ADAPTER, "model", "adapter"]);
  python(["-c", ADAPTER.replace("manual_seed(0)", "manual_seed(1)"), "model", "champion"]);
});

describe("pipeline eval (real generation on a tiny model)", () => {
  it("refuses an invalid suite before any generation, with the problem's line", async () => {
    const dir = await workspace({
      "bad.yaml": "name: bad\ncases: missing.jsonl\nscorers:\n  - regex: { pattern: '(' }\n",
    });
    const result = pipeline(evalArgs(join(dir, "bad.yaml"), "--out", join(dir, "out")), { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:4 › scorers\[0\]\.regex\.pattern: invalid regular expression/);
    expect(result.stderr).toMatch(/bad\.yaml:2 › cases: cases file not found/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("prints every metric with its interval, p-value and verdict as JSON, and saves scored generations", () => {
    const result = pipeline(evalArgs("suite.yaml", "--json", "--gate", "exact_match: >= base - 1"), {
      cwd,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      suites: { name: string; cases: number; metrics: Record<string, unknown>[]; generationsFile: string }[];
      gates: { passed: boolean }[];
      passed: boolean;
    };
    expect(out.passed).toBe(true);
    expect(out.gates).toHaveLength(1);
    const [suite] = out.suites;
    expect(suite).toMatchObject({ name: "demo", cases: 8 });
    expect(suite!.metrics.map((m) => m.metric)).toEqual(SCORERS);
    for (const metric of suite!.metrics) {
      expect(metric).toMatchObject({ suite: "demo", n: 8 });
      expect(metric.ci95).toHaveLength(2);
      expect(["better", "worse", "no-significant-difference"]).toContain(metric.verdict);
    }
    const loss = suite!.metrics.find((m) => m.metric === "loss")!;
    expect(loss).toMatchObject({ higherIsBetter: false, test: "sign-flip" });
    // A random adapter with a large scale only hurts: its reference loss is higher on every case.
    expect(loss.verdict).toBe("worse");

    const lines = readFileSync(join(cwd, "eval-results/demo/generations.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      const row = JSON.parse(line) as {
        base: { scores: object; output: string };
        adapter: { scores: object };
      };
      expect(Object.keys(row.base.scores)).toEqual(SCORERS);
      expect(Object.keys(row.adapter.scores)).toEqual(SCORERS);
    }
    expect(existsSync(join(cwd, "eval-results/results.json"))).toBe(true);
  });

  it("prints a table and exits 1 when a gate fails", () => {
    const result = pipeline(evalArgs("suite.yaml", "--out", "table-run", "--gate", "loss: <= base"), {
      cwd,
      env,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^suite demo: 8 cases/m);
    expect(result.stdout).toMatch(/metric\s+base\s+adapter\s+diff\s+95% CI\s+p\s+verdict/);
    expect(result.stdout).toMatch(
      /loss ↓\s+\d+\.\d{4}\s+\d+\.\d{4}\s+\+\d+\.\d{4}\s+\[\+[\d.]+, \+[\d.]+\]\s+[\d.]+\s+worse/,
    );
    expect(result.stdout).toMatch(/FAIL {2}loss \(demo\) <= base: adapter/);
    expect(existsSync(join(cwd, "table-run/demo/generations.jsonl"))).toBe(true);
  });

  it("compares the adapter with a champion adapter on the same cases (--compare-to)", () => {
    const refused = pipeline(evalArgs("suite.yaml", "--gate", "loss: <= champion"), { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--gate loss: <= champion names the champion/);

    const gate = ["--gate", "loss: <= champion + 0.5"];
    const args = evalArgs(
      "suite.yaml",
      "--out",
      "champion-run",
      "--compare-to",
      "champion",
      "--json",
      ...gate,
    );
    const result = pipeline(args, { cwd, env });
    type Metric = { metric: string; base: number; adapter: number };
    const out = JSON.parse(result.stdout) as {
      suites: { metrics: Metric[]; champion: Metric[] }[];
      gates: { threshold: number; passed: boolean }[];
    };
    const loss = (metrics: Metric[]) => metrics.find((m) => m.metric === "loss")!;
    const [suite] = out.suites;
    // The adapter's column is the same in both comparisons; the champion is neither the base nor the adapter.
    expect(loss(suite!.champion).adapter).toBe(loss(suite!.metrics).adapter);
    expect(loss(suite!.champion).base).not.toBeCloseTo(loss(suite!.metrics).base, 3);
    expect(loss(suite!.champion).base).not.toBeCloseTo(loss(suite!.metrics).adapter, 3);
    expect(out.gates[0]!.threshold).toBeCloseTo(loss(suite!.champion).base + 0.5, 10);
    expect(result.code).toBe(out.gates[0]!.passed ? 0 : 1);
  });
});

import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "./helpers/cli.js";
import { type PairRule, pairs } from "./helpers/preference-workspace.js";
import { onlyRun, trainingWorkspace } from "./helpers/run-workspace.js";

/**
 * A preference the tiny base does not have: "Format as JSON" answers are chosen when their key is `list`, and
 * rejected, with the same words, when it is `words` (what the base was pre-trained on). The rule holds for
 * every prompt, so what DPO teaches on the training pairs must carry over to held-out ones.
 */
const listKey: PairRule = (prompt) => {
  const answer = (key: string) => JSON.stringify({ [key]: prompt.split("\n")[1] });
  return { chosen: answer("list"), rejected: answer("words") };
};

type Metric = { metric: string; base: number; adapter: number; pValue: number; verdict: string };

describe("held-out preference pairs, base vs adapter (tiny model, real DPO)", () => {
  it("scores which answer each model prefers; the adapter beats the base significantly, and gates read it", async () => {
    const training = { method: "dpo", dpo: "{ beta: 0.5 }", learning_rate: 0.005, max_steps: 24 };
    const cwd = await trainingWorkspace(
      { ...training, logging_steps: 4, save_steps: 100 },
      { train: 1, eval: 1 },
    );
    await writeFile(join(cwd, "data/train.jsonl"), pairs(0, 96, listKey));
    await writeFile(join(cwd, "data/eval.jsonl"), pairs(500, 32, listKey));
    const config = join(cwd, "configs/run.yaml");
    const gates = '  gates:\n    preference_accuracy: ">= base + 0.25"\n    preference_margin: "> base"\n';
    await writeFile(config, readFileSync(config, "utf8") + gates);

    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const run = onlyRun(join(cwd, "runs"));
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      outcome: { status: string };
      suites: { name: string; cases: number; metrics: Metric[] }[];
      gates: { passed: boolean }[];
    };
    const [suite] = report.suites;
    expect(suite).toMatchObject({ name: "heldout", cases: 32 });
    const byName = new Map(suite!.metrics.map((m) => [m.metric, m]));
    const accuracy = byName.get("preference_accuracy")!;
    expect(accuracy.base).toBeLessThan(0.5); // the base prefers the key it was pre-trained on
    expect(accuracy).toMatchObject({ verdict: "better" });
    expect(accuracy.pValue).toBeLessThan(0.01);
    expect(byName.get("preference_margin")).toMatchObject({ verdict: "better" });
    expect(report.gates.map((g) => g.passed)).toEqual([true, true]);
    expect(report.outcome.status).toBe("passed");
    const markdown = readFileSync(join(run.dir, "report.md"), "utf8");
    expect(markdown).toMatch(/\| preference_accuracy \| \d+\.\d % \| \d+\.\d % \|/);
  }, 600_000);
});

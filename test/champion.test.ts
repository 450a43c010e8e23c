import { readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { trainingWorkspace } from "./helpers/run-workspace.js";

type Metric = { metric: string; base: number; adapter: number };
type Report = {
  outcome: { status: string };
  champion: { source: string; run_id: string | null } | null;
  suites: { name: string; metrics: Metric[]; champion?: Metric[] }[];
  gates: { metric: string; threshold: number | null; actual: number | null; passed: boolean }[];
};

const env = { ...process.env, CI: "1" };
const readReport = (runDir: string) =>
  JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")) as Report;
const metric = (metrics: Metric[] | undefined, name: string) => metrics?.find((m) => m.metric === name);

/** `configs/run.yaml` with its step count changed and `eval:` lines added. */
async function variant(cwd: string, name: string, steps: number, evalLines: string[]) {
  const text = readFileSync(join(cwd, "configs/run.yaml"), "utf8").replace(
    /max_steps: \d+/,
    `max_steps: ${steps}`,
  );
  await writeFile(join(cwd, `configs/${name}.yaml`), text + evalLines.map((l) => `  ${l}\n`).join(""));
  return `configs/${name}.yaml`;
}

describe("eval.compare_to: champion/challenger (tiny model, real trainer)", () => {
  it("evaluates the challenger against the champion on the same cases, and gates on it", async () => {
    const cwd = await trainingWorkspace({ max_steps: 40 }, { train: 96, eval: 8 });
    const first = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
    expect(first.code, first.stderr).toBe(0);
    const [championId] = readdirSync(join(cwd, "runs"));
    const championLoss = metric(readReport(join(cwd, "runs", championId!)).suites[0]!.metrics, "loss")!;

    // A challenger trained a quarter as long: its held-out loss is worse, and the gate must see that.
    const config = await variant(cwd, "challenger", 10, [
      `compare_to: ${championId}`,
      "gates:",
      '  loss: "<= champion"',
    ]);
    const second = pipeline(["run", config, "--runs-dir", "runs"], { cwd, env });
    expect(second.code, second.stderr).toBe(1);
    expect(hasStackTrace(second.stderr)).toBe(false);
    const challengerId = readdirSync(join(cwd, "runs")).find((id) => id !== championId)!;
    const report = readReport(join(cwd, "runs", challengerId));
    expect(report.champion).toEqual({ source: championId, run_id: championId });
    expect(report.outcome.status).toBe("gates-failed");
    const against = metric(report.suites[0]!.champion, "loss")!;
    // Regenerated here on the same cases, the champion scores what its own run measured.
    expect(against.base).toBeCloseTo(championLoss.adapter, 4);
    expect(against.adapter).toBeCloseTo(metric(report.suites[0]!.metrics, "loss")!.adapter, 10);
    expect(against.adapter).toBeGreaterThan(against.base);
    const [gate] = report.gates;
    expect(gate).toMatchObject({ metric: "loss", passed: false });
    expect(gate!.threshold).toBeCloseTo(championLoss.adapter, 4);
    const markdown = readFileSync(join(cwd, "runs", challengerId, "report.md"), "utf8");
    expect(markdown).toContain(`against the champion \`${championId}\``);
  }, 420_000);

  it("refuses a champion that is not there before any work, and a champion gate without one", async () => {
    const cwd = await trainingWorkspace({ max_steps: 5 }, { train: 16, eval: 2 });
    const missing = await variant(cwd, "missing", 5, ["compare_to: no-such-run"]);
    const run = pipeline(["run", missing, "--runs-dir", "runs"], { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eval\.compare_to: no run "no-such-run" in /);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(readdirSync(cwd)).not.toContain("runs");
    const validated = pipeline(["config", "validate", missing], { cwd, env });
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(/eval\.compare_to: no run "no-such-run" in /);

    const noChampion = await variant(cwd, "no-champion", 5, ["gates:", '  exact_match: ">= champion"']);
    const validate = pipeline(["config", "validate", noChampion], { cwd, env });
    expect(validate.code).toBe(2);
    expect(validate.stderr + validate.stdout).toMatch(
      /eval\.gates\.exact_match.*eval\.compare_to is not set/s,
    );
  }, 120_000);
});

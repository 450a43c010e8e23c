import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { onlyRun, trainingWorkspace } from "./helpers/run-workspace.js";

// A real short run on the built-in tiny model: its adapter is what the serving commands check and export.
let cwd: string;
let run: { id: string; dir: string };
const env = { ...process.env, CI: "1", OMP_NUM_THREADS: "1" };

beforeAll(async () => {
  cwd = await trainingWorkspace({ max_steps: 6 }, { train: 64, eval: 8 });
  const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
  if (result.code !== 0) throw new Error(`the run failed:\n${result.stderr}`);
  run = onlyRun(join(cwd, "runs"));
});

describe("pipeline adapter check (a real trained adapter)", () => {
  it("passes vLLM, TGI and peft, checked against the run's recorded base", () => {
    for (const target of ["vllm", "tgi", "peft"]) {
      const result = pipeline(
        ["adapter", "check", run.id, "--runs-dir", "runs", "--target", target, "--json"],
        { cwd, env },
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as {
        passed: boolean;
        base: string;
        findings: unknown[];
        adapter: string;
      };
      expect(out).toMatchObject({ passed: true, findings: [], adapter: join(run.dir, "adapter") });
      expect(out.base).toMatch(/models\/tiny$/);
    }
  });

  it("exits 2 naming the input for a run that does not exist and for a folder that is no adapter", () => {
    const missing = pipeline(["adapter", "check", "no-such-run", "--runs-dir", "runs"], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /error\[run-not-found\]: no-such-run is neither an adapter folder nor a run/,
    );
    const notAdapter = pipeline(["adapter", "check", join(run.dir, "data")], { cwd, env });
    expect(notAdapter.code).toBe(2);
    expect(hasStackTrace(missing.stderr + notAdapter.stderr)).toBe(false);
  });
});

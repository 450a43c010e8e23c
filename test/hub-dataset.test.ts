import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace } from "./helpers/cli.js";
import { pipelineAsync } from "./helpers/hub-cache.js";
import { DATASET, hubEnv, startTestHub } from "./helpers/hub-fixtures.js";
import type { HubServer } from "./helpers/hub-server.js";
import { onlyRun, trainingWorkspace } from "./helpers/run-workspace.js";

// Contract tests of hf:// dataset paths against the loopback Hub (JSONL, JSON and Parquet files).
let hub: HubServer;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

const uri = (path: string) => `hf://datasets/${DATASET}/${path}`;

describe("hf:// datasets (contract tests against a loopback Hub)", () => {
  it("validates a Parquet file from the Hub like a local file, cached by revision, offline afterwards", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const result = await pipelineAsync(["dataset", "validate", uri("data/train.parquet"), "--json"], {
      env: hubEnv(hub, home),
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { validRows: number; format: string; layout: string };
    expect(report).toMatchObject({ validRows: 256, format: "alpaca", layout: "Parquet" });
    const sha = readFileSync(
      join(home, "hub", `datasets--${DATASET.replace("/", "--")}`, "refs/main"),
      "utf8",
    );
    expect(
      existsSync(
        join(home, "hub", `datasets--${DATASET.replace("/", "--")}`, "snapshots", sha, "data/train.parquet"),
      ),
    ).toBe(true);

    const served = hub.bytesServed();
    const offline = await pipelineAsync(["dataset", "validate", uri("data/train.parquet"), "--json"], {
      env: { ...hubEnv(hub, home), HF_HUB_OFFLINE: "1" },
    });
    expect(offline.code, offline.stderr).toBe(0);
    const again = await pipelineAsync(["dataset", "validate", `${uri("data/train.parquet")}@${sha}`], {
      env: hubEnv(hub, home),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(hub.bytesServed()).toBe(served);
  });

  it("a path to a missing file: exit 2, listing the repo's dataset files", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const result = await pipelineAsync(["dataset", "validate", uri("data/test.jsonl")], {
      env: hubEnv(hub, home),
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${uri("data/test.jsonl")}: ${DATASET}@main has no file data/test.jsonl`);
    expect(result.stderr).toMatch(
      /its dataset files: data\/train\.jsonl, data\/eval\.json, data\/train\.parquet/,
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
    const bad = await pipelineAsync(["dataset", "validate", "hf://datasets/only-org"], {
      env: hubEnv(hub, home),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a Hub dataset path/);
  });

  it("trains from a Parquet train file and a JSON eval file on the Hub", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: 2, logging_steps: 1, save_steps: 2 },
      { train: 8, eval: 8 },
    );
    const config = join(cwd, "configs/run.yaml");
    await writeFile(
      config,
      (await readFile(config, "utf8"))
        .replace("path: ../data/train.jsonl", `path: ${uri("data/train.parquet")}`)
        .replace("eval_path: ../data/eval.jsonl", `eval_path: ${uri("data/eval.json")}`),
    );
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const result = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs"], {
      cwd,
      env: hubEnv(hub, home),
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const run = onlyRun(join(cwd, "runs"));
    const rows = (file: string) =>
      readFileSync(join(run.dir, "data", file), "utf8")
        .split("\n")
        .filter(Boolean).length;
    expect([rows("train.jsonl"), rows("eval.jsonl")]).toEqual([256, 16]);
    expect(readFileSync(join(run.dir, "config.resolved.yaml"), "utf8")).toContain(uri("data/train.parquet"));
  });
});

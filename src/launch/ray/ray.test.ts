import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrainSpec } from "../../config/train-spec.js";
import { generateFlags } from "../generate-job.js";
import { clusterCapacity } from "./capacity.js";
import { jobExit } from "./exit.js";
import { clusterGenerateJob } from "./generate.js";
import { clusterJob } from "./job.js";
import { initAdapterFiles } from "./ray-runtime.js";
import { filesUnder } from "./store.js";
import type { NodeSummary, RayJob } from "./jobs-api.js";

const job = (fields: Partial<RayJob>): RayJob => ({
  submission_id: "run-1",
  status: "FAILED",
  message: null,
  error_type: null,
  driver_exit_code: null,
  driver_node_id: null,
  ...fields,
});

describe("jobExit", () => {
  it("maps a finished job to the trainer's exit: done, stopped (resumable), lost (retried), failed", () => {
    expect(jobExit(job({ status: "SUCCEEDED", driver_exit_code: 0 })).exitCode).toBe(0);
    expect(jobExit(job({ status: "STOPPED" })).exitCode).toBe(130);
    expect(jobExit(job({ error_type: "JOB_SUPERVISOR_ACTOR_DIED" }))).toMatchObject({
      exitCode: 75,
      message: expect.stringContaining("JOB_SUPERVISOR_ACTOR_DIED died") as string,
    });
    expect(jobExit(job({ driver_exit_code: 75 })).exitCode).toBe(75);
    expect(jobExit(job({ driver_exit_code: 2, message: "bad spec" }))).toMatchObject({
      exitCode: 2,
      message: "bad spec",
    });
    expect(jobExit(job({})).exitCode).toBe(1);
  });
});

describe("clusterJob", () => {
  const spec = {
    run_id: "run-1",
    base_model: "/home/u/models/tiny",
    data: { train: "/runs/run-1/data/train.jsonl", eval: null },
    output: { checkpoint_dir: "/runs/run-1/checkpoints", adapter_dir: "/runs/run-1/adapter" },
    resume_from: "/runs/run-1/checkpoints/step-000040",
    init_adapter: null,
    store: null,
  } as unknown as TrainSpec;
  const store = { uri: "s3://b/runs/run-1", endpoint: null, region: null, path_style: false };

  it("makes every path a key of the run's folder in the store, the same under each node's work folder", () => {
    const made = clusterJob(spec, { num_workers: 2, gpus_per_worker: 4 }, store, true);
    expect(made).toMatchObject({ workers: 2, gpus_per_worker: 4, model_in_store: true });
    expect(made.spec).toMatchObject({
      base_model: "model",
      data: { train: "inputs/data/train.jsonl", eval: null },
      output: { checkpoint_dir: "out/checkpoints", adapter_dir: "out/adapter" },
      resume_from: "checkpoints/step-000040",
      store,
    });
    expect(made.spec.init_adapter).toBeNull();
    expect(
      clusterJob({ ...spec, base_model: "org/name" }, { num_workers: 1, gpus_per_worker: 0 }, store, false)
        .spec.base_model,
    ).toBe("org/name");
  });
});

describe("an init adapter on a cluster", () => {
  it("travels with the inputs (inputs/init-adapter/…) and the job's spec points there", () => {
    const spec = {
      data: { train: "/runs/r/data/train.jsonl", eval: null },
      init_adapter: "/runs/r/init-adapter",
    };
    const onTop = {
      ...spec,
      output: { checkpoint_dir: "/runs/r/c", adapter_dir: "/runs/r/a" },
      resume_from: null,
    };
    expect(initAdapterFiles(onTop as unknown as TrainSpec)).toEqual([
      "/runs/r/init-adapter/adapter_config.json",
      "/runs/r/init-adapter/adapter_model.safetensors",
    ]);
    const store = { uri: "s3://b/runs/r", endpoint: null, region: null, path_style: false };
    const made = clusterJob(
      onTop as unknown as TrainSpec,
      { num_workers: 1, gpus_per_worker: 0 },
      store,
      false,
    );
    expect(made.spec.init_adapter).toBe("inputs/init-adapter");
    expect(initAdapterFiles({ ...onTop, init_adapter: null } as unknown as TrainSpec)).toEqual([]);
  });
});

describe("clusterGenerateJob", () => {
  const store = { uri: "s3://b/runs/run-1", endpoint: null, region: null, path_style: false };
  const job = {
    runId: "run-1",
    model: "/home/u/models/tiny",
    adapter: "/runs/run-1/adapter",
    prompts: "/runs/run-1/eval/heldout/cases.jsonl",
    out: "/runs/run-1/eval/heldout/.adapter.jsonl",
    baseOut: "/runs/run-1/eval/heldout/.base.jsonl",
    batchSize: 16,
    maxNewTokens: 24,
    device: "cpu",
    seed: 7,
    logPath: "/runs/run-1/trainer.log",
  };

  it("passes generate.py the flags every runtime does, with paths under the node's work folder", () => {
    const made = clusterGenerateJob(job, { gpus_per_worker: 1 }, store, "heldout");
    expect(made).toMatchObject({
      kind: "generate",
      run_id: "run-1",
      gpus_per_worker: 1,
      model_in_store: true,
      store,
    });
    expect(made.generate).toEqual({
      prompts_key: "eval/heldout/prompts",
      out_key: "eval/heldout/out",
      champion_key: null,
      args: generateFlags({
        ...job,
        model: "model",
        adapter: "adapter",
        prompts: "prompts/cases.jsonl",
        out: "out/.adapter.jsonl",
        baseOut: "out/.base.jsonl",
      }),
    });
    expect(made.generate.args).toEqual(expect.arrayContaining(["--max-new-tokens", "24", "--seed", "7"]));
    const hub = clusterGenerateJob({ ...job, model: "org/name" }, { gpus_per_worker: 0 }, store, "heldout");
    expect(hub.model_in_store).toBe(false);
    expect(hub.generate.args.slice(0, 2)).toEqual(["--model", "org/name"]);
  });

  it("pulls eval.compare_to's adapter into champion/ and writes its results beside the others", () => {
    const champion = { adapter: "/runs/old/adapter", out: "/runs/run-1/eval/heldout/.champion.jsonl" };
    const made = clusterGenerateJob({ ...job, champion }, { gpus_per_worker: 1 }, store, "heldout");
    expect(made.generate.champion_key).toBe("eval/heldout/champion");
    const args = made.generate.args.join(" ");
    expect(args).toContain("--champion champion --champion-out out/.champion.jsonl");
  });
});

describe("clusterCapacity", () => {
  const node = (ip: string, resources: Record<string, number>, state = "ALIVE"): NodeSummary => ({
    raylet: { state, nodeId: ip, nodeManagerAddress: ip, isHeadNode: false, resourcesTotal: resources },
  });
  const nodes = [
    node("10.0.0.1", { CPU: 0 }),
    node("10.0.0.2", { CPU: 8, GPU: 4, "accelerator_type:H100": 1 }),
    node("10.0.0.3", { CPU: 8, GPU: 4, "accelerator_type:H100": 1 }),
    node("10.0.0.4", { CPU: 8, GPU: 4 }, "DEAD"),
  ];
  const want = (num_workers: number, gpus_per_worker: number) => ({
    num_workers,
    gpus_per_worker,
    address: "http://h:8265",
  });

  it("counts the alive nodes that fit one worker each, and reads the GPU type they report", () => {
    expect(clusterCapacity(nodes, want(2, 4))).toMatchObject({ fitting: 2, deviceType: "H100" });
    expect(clusterCapacity(nodes, want(1, 0))).toMatchObject({ fitting: 2 });
  });

  it("refuses a run the cluster cannot place, saying what it has and what to change", () => {
    expect(() => clusterCapacity(nodes, want(3, 4))).toThrow(/has 3 node\(s\), 2 that fit a worker \(H100\)/);
    expect(() => clusterCapacity(nodes, want(1, 8))).toThrow(/0 that fit/);
  });
});

describe("filesUnder", () => {
  it("lists a hub snapshot's files, which are links into the cache's blobs/, as files of the model", () => {
    const cache = mkdtempSync(join(tmpdir(), "snapshot-"));
    mkdirSync(join(cache, "blobs"));
    mkdirSync(join(cache, "snapshots/abc/sub"), { recursive: true });
    writeFileSync(join(cache, "blobs/1"), "{}");
    writeFileSync(join(cache, "blobs/2"), "weights");
    symlinkSync("../../blobs/1", join(cache, "snapshots/abc/config.json"));
    symlinkSync("../../../blobs/2", join(cache, "snapshots/abc/sub/model.safetensors"));
    writeFileSync(join(cache, "snapshots/abc/README.md"), "plain file");
    expect(filesUnder(join(cache, "snapshots/abc")).sort()).toEqual([
      "README.md",
      "config.json",
      "sub/model.safetensors",
    ]);
  });
});

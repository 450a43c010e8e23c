import { describe, expect, it } from "vitest";
import { engineEnv, engineFor, isRemoteEndpoint } from "./engine.js";
import { planTransfer, localPathOf, REMOTE } from "./transfer.js";
import { dockerCreateArgs } from "./args.js";
import { RunConfig, type DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";

describe("engine", () => {
  it("the config's host wins over its context; neither leaves the CLI's own", () => {
    expect(engineFor({ host: "ssh://u@h", context: "gpu" })).toEqual({ host: "ssh://u@h" });
    expect(engineFor({ context: "gpu" })).toEqual({ context: "gpu" });
    expect(engineFor({})).toEqual({});
    expect(engineEnv({ host: "ssh://u@h" })).toEqual({ DOCKER_HOST: "ssh://u@h", DOCKER_CONTEXT: undefined });
    expect(engineEnv({ context: "gpu" })).toEqual({ DOCKER_CONTEXT: "gpu", DOCKER_HOST: undefined });
    expect(engineEnv({})).toEqual({});
  });

  it("ssh, tcp and http endpoints are remote; sockets are local", () => {
    for (const e of ["ssh://root@127.0.0.1:2222", "tcp://gpu:2376", "https://gpu:2376"])
      expect(isRemoteEndpoint(e), e).toBe(true);
    for (const e of ["unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine"])
      expect(isRemoteEndpoint(e), e).toBe(false);
  });

  it("the config refuses host and context together", () => {
    const parsed = RunConfig.shape.runtime.safeParse({ type: "docker", host: "ssh://a@b", context: "c" });
    expect(parsed.success).toBe(false);
  });
});

const runDir = "/home/u/runs/r1";
const spec = {
  run_id: "r1",
  base_model: "/cache/models/tiny",
  device: "cpu",
  data: { train: `${runDir}/data/train.jsonl`, eval: "/elsewhere/eval.jsonl" },
  output: { checkpoint_dir: `${runDir}/checkpoints`, adapter_dir: `${runDir}/adapter` },
  resume_from: `${runDir}/checkpoints/step-000004`,
} as TrainSpec;

describe("planTransfer (remote engine)", () => {
  it("copies every local input in and maps outputs under /pipeline/run", () => {
    const t = planTransfer(spec);
    expect(t.spec).toMatchObject({
      base_model: REMOTE.model,
      data: { train: "/pipeline/in/data/train.jsonl", eval: "/pipeline/in/data/eval.jsonl" },
      output: { checkpoint_dir: "/pipeline/run/checkpoints", adapter_dir: "/pipeline/run/adapter" },
      resume_from: "/pipeline/in/resume/step-000004",
    });
    expect(t.copiesIn).toEqual([
      { source: "/cache/models/tiny", target: "/pipeline/in/model" },
      { source: `${runDir}/data/train.jsonl`, target: "/pipeline/in/data/train.jsonl" },
      { source: "/elsewhere/eval.jsonl", target: "/pipeline/in/data/eval.jsonl" },
      { source: `${runDir}/checkpoints/step-000004`, target: "/pipeline/in/resume/step-000004" },
    ]);
  });

  it("a hub id is not copied; announced outputs map back to the local run directory", () => {
    const t = planTransfer({
      ...spec,
      base_model: "org/model",
      data: { ...spec.data, eval: null },
      resume_from: null,
    });
    expect(t.spec.base_model).toBe("org/model");
    expect(t.copiesIn.map((c) => c.target)).toEqual(["/pipeline/in/data/train.jsonl"]);
    expect(localPathOf(t, "/pipeline/run/checkpoints/step-000008")).toBe(`${runDir}/checkpoints/step-000008`);
    expect(localPathOf(t, "/pipeline/run/adapter")).toBe(`${runDir}/adapter`);
    expect(localPathOf(t, "/pipeline/in/model")).toBeUndefined();
  });
});

describe("dockerCreateArgs", () => {
  const runtime = RunConfig.shape.runtime.parse({ type: "docker", memory: "4g" }) as DockerRuntime;
  it("no mount at all; secrets on stdin only by a flag, never a value", () => {
    const args = dockerCreateArgs(spec, runtime, { name: "c1", secretsOnStdin: true });
    expect(args).toEqual([
      "create",
      "--name",
      "c1",
      "--label",
      "pipeline.run-id=r1",
      "--label",
      "pipeline.managed=true",
      "--network",
      "none",
      "--shm-size",
      "16g",
      "--memory",
      "4g",
      "--memory-swap",
      "4g",
      "--interactive",
      "--env",
      "PIPELINE_SECRETS_STDIN=1",
      "pipeline-trainer:latest",
      "--spec",
      "/pipeline/in/spec.json",
    ]);
    expect(dockerCreateArgs(spec, runtime, { name: "c1", secretsOnStdin: false })).not.toContain(
      "--interactive",
    );
    const gpu = dockerCreateArgs({ ...spec, device: "auto" }, runtime, { name: "c1", secretsOnStdin: false });
    expect(gpu.slice(gpu.indexOf("--gpus"), gpu.indexOf("--gpus") + 2)).toEqual(["--gpus", "all"]);
  });
});

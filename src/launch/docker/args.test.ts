import { describe, expect, it } from "vitest";
import { RunConfig } from "../../config/index.js";
import type { DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { dockerRunArgs } from "./args.js";
import { mountFlag, planMounts } from "./mounts.js";

const runDir = "/home/u/runs/r1";
const spec = {
  run_id: "r1",
  base_model: "/cache/models/tiny",
  device: "cpu",
  data: { train: `${runDir}/data/train.jsonl`, eval: `${runDir}/data/eval.jsonl` },
  output: { checkpoint_dir: `${runDir}/checkpoints`, adapter_dir: `${runDir}/adapter` },
  resume_from: null,
  init_adapter: null,
} as TrainSpec;
const runtime = (extra: Record<string, unknown> = {}) =>
  RunConfig.shape.runtime.parse({ type: "docker", ...extra }) as DockerRuntime;
const paths = { name: "pipeline-r1-1", runDir, specFile: `${runDir}/spec.docker.json` };

describe("dockerRunArgs", () => {
  it("defaults: no network, shm, labels, the run dir writable and the model read-only", () => {
    expect(dockerRunArgs(spec, runtime(), paths)).toEqual([
      "run",
      "--name",
      "pipeline-r1-1",
      "--label",
      "pipeline.run-id=r1",
      "--label",
      "pipeline.managed=true",
      "--network",
      "none",
      "--shm-size",
      "16g",
      "--sig-proxy=false",
      "--mount",
      "type=bind,source=/home/u/runs/r1,target=/run-dir",
      "--mount",
      "type=bind,source=/cache/models/tiny,target=/model,readonly",
      "pipeline-trainer:latest",
      "--spec",
      "/run-dir/spec.docker.json",
    ]);
  });

  it("gives the trainer the run's copy of its init adapter through the run-dir mount, no mount of its own", () => {
    const onTop = { ...spec, init_adapter: `${runDir}/init-adapter` };
    const { mounts, spec: mapped } = planMounts(onTop, runDir);
    expect(mapped.init_adapter).toBe("/run-dir/init-adapter");
    expect(mounts.map((m) => m.target)).toEqual(["/run-dir", "/model"]);
    expect(() => planMounts({ ...spec, init_adapter: "/elsewhere/adapter" }, runDir)).toThrow(/init_adapter/);
  });

  it("lets the container download a hub model (the image is offline by default), and only then", () => {
    const hub = dockerRunArgs(
      { ...spec, base_model: "org/model" } as TrainSpec,
      runtime({ network: "host" }),
      paths,
    );
    expect(hub.join(" ")).toContain("--network host --env HF_HUB_OFFLINE=0");
    expect(dockerRunArgs(spec, runtime(), paths)).not.toContain("HF_HUB_OFFLINE=0");
  });

  it("GPUs, ipc host, limits, user, outside datasets read-only and the secrets file by path", () => {
    const gpuSpec = { ...spec, device: "cuda", data: { train: "/data/a,b.jsonl", eval: null } } as TrainSpec;
    const config = runtime({ gpus: "device=0,1", ipc: "host", cpus: 4, memory: "32g", network: "host" });
    const args = dockerRunArgs(gpuSpec, config, { ...paths, user: "1000:1000", secretsFile: "/tmp/s/env" });
    expect(args.slice(7)).toEqual([
      "--network",
      "host",
      "--gpus",
      '"device=0,1"',
      "--ipc",
      "host",
      "--cpus",
      "4",
      "--memory",
      "32g",
      "--memory-swap",
      "32g",
      "--user",
      "1000:1000",
      "--sig-proxy=false",
      "--mount",
      "type=bind,source=/home/u/runs/r1,target=/run-dir",
      "--mount",
      "type=bind,source=/cache/models/tiny,target=/model,readonly",
      "--mount",
      'type=bind,"source=/data/a,b.jsonl","target=/data/train-a,b.jsonl",readonly',
      "--mount",
      "type=bind,source=/tmp/s/env,target=/run/secrets/pipeline.env,readonly",
      "--env",
      "PIPELINE_SECRETS_FILE=/run/secrets/pipeline.env",
      "pipeline-trainer:latest",
      "--spec",
      "/run-dir/spec.docker.json",
    ]);
  });

  it("a count of GPUs goes as it is; none or a cpu device asks for none", () => {
    const cuda = { ...spec, device: "cuda" } as TrainSpec;
    expect(dockerRunArgs(cuda, runtime({ gpus: "2" }), paths)).toContain("2");
    expect(dockerRunArgs(cuda, runtime({ gpus: "none" }), paths)).not.toContain("--gpus");
    expect(dockerRunArgs(spec, runtime({ gpus: "all" }), paths)).not.toContain("--gpus");
  });

  it("several processes: torchrun as the entrypoint, the ranks on the container's loopback", () => {
    expect(dockerRunArgs(spec, runtime({ processes: 2 }), paths).slice(-15)).toEqual([
      "--env",
      "GLOO_SOCKET_IFNAME=lo",
      "--entrypoint",
      "python",
      "pipeline-trainer:latest",
      "-u",
      "-m",
      "torch.distributed.run",
      "--standalone",
      "--local-addr=127.0.0.1",
      "--nnodes=1",
      "--nproc-per-node=2",
      "/app/docker/train.py",
      "--spec",
      "/run-dir/spec.docker.json",
    ]);
    expect(() => runtime({ processes: 0 })).toThrow();
  });

  it("refuses bad runtime values at config load", () => {
    expect(() => runtime({ gpus: "all; rm -rf /" })).toThrow();
    expect(() => runtime({ network: "bridge2" })).toThrow();
    expect(() => runtime({ user: "root" })).toThrow();
  });
});

describe("planMounts", () => {
  it("rewrites every path to its container path", () => {
    const resumed = { ...spec, resume_from: `${runDir}/checkpoints/step-000004` } as TrainSpec;
    expect(planMounts(resumed, runDir).spec).toMatchObject({
      base_model: "/model",
      data: { train: "/run-dir/data/train.jsonl", eval: "/run-dir/data/eval.jsonl" },
      output: { checkpoint_dir: "/run-dir/checkpoints", adapter_dir: "/run-dir/adapter" },
      resume_from: "/run-dir/checkpoints/step-000004",
    });
  });

  it("mounts a Hugging Face cache snapshot's whole repo folder read-only, so its links resolve", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const snapshot = `/root/.cache/huggingface/hub/models--org--m/snapshots/${sha}`;
    const planned = planMounts({ ...spec, base_model: snapshot }, runDir);
    expect(planned.mounts).toContainEqual({
      source: "/root/.cache/huggingface/hub/models--org--m",
      target: "/hf-cache/models--org--m",
      readonly: true,
    });
    expect(planned.spec.base_model).toBe(`/hf-cache/models--org--m/snapshots/${sha}`);
  });

  it("keeps a hub id and quotes a quote", () => {
    expect(planMounts({ ...spec, base_model: "org/model" }, runDir).spec.base_model).toBe("org/model");
    expect(mountFlag({ source: '/a"b', target: "/t", readonly: false })).toBe(
      'type=bind,"source=/a""b",target=/t',
    );
  });
});

import { describe, expect, it } from "vitest";
import { RunConfig } from "./schema.js";

const base = {
  base_model: "org/model",
  device: "cuda",
  datasets: [{ path: "/data/train.jsonl" }],
  training: { strategy: "fsdp", precision: "bf16" },
  runtime: { type: "local", processes: 2 },
};

function issues(overrides: Record<string, unknown>) {
  const parsed = RunConfig.safeParse({ ...base, ...overrides });
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("training.strategy: fsdp", () => {
  it("is accepted with two or more processes on the local and docker runtimes", () => {
    expect(issues({})).toEqual([]);
    expect(issues({ runtime: { type: "docker", processes: 4 } })).toEqual([]);
  });

  it("is refused with one process, naming runtime.processes and ddp", () => {
    for (const runtime of [{ type: "local" }, { type: "local", processes: 1 }]) {
      const [issue, ...rest] = issues({ runtime });
      expect(rest).toEqual([]);
      expect(issue).toEqual({
        path: "training.strategy",
        message: expect.stringMatching(
          /runtime\.processes is 1: set runtime\.processes .*2 or more.*strategy: ddp/,
        ),
      });
    }
  });

  it("is refused on ray and beside fp16, Liger's kernels and torch.compile, each at its own setting", () => {
    const ray = { type: "ray", address: "http://head:8265", num_workers: 2 };
    expect(issues({ runtime: ray })).toEqual([
      { path: "training.strategy", message: expect.stringMatching(/on ray use ddp/) },
    ]);
    const training = { strategy: "fsdp", precision: "fp16", liger_kernels: true, compile: true };
    expect(issues({ training }).map((i) => i.path)).toEqual([
      "training.precision",
      "training.liger_kernels",
      "training.compile",
    ]);
    expect(issues({ training: { ...training, strategy: "ddp" } })).toEqual([]);
  });

  it("is refused for dpo/kto on an init adapter (a frozen reference adapter beside the policy), not for sft", () => {
    const training = { ...base.training, method: "dpo", init_adapter: "sft-run" };
    expect(issues({ training })).toEqual([
      {
        path: "training.init_adapter",
        message: expect.stringMatching(/not tested with fsdp.*strategy: ddp/),
      },
    ]);
    expect(issues({ training: { ...base.training, init_adapter: "sft-run" } })).toEqual([]);
  });
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEvents } from "../run-dir/index.js";
import { trainingFacts } from "./training-facts.js";
import { summarizeTraining } from "./training-summary.js";

const start = (time: number, startStep: number) => ({
  v: 1,
  time,
  type: "start",
  run_id: "r",
  device: "cpu",
  precision: "fp32",
  params_total: 1000,
  params_trainable: 40,
  total_steps: 4,
  start_step: startStep,
  train_examples: 10,
  train_sequences: 10,
});
const step = (time: number, n: number, loss: number, tokens: number) => ({
  v: 1,
  time,
  type: "step",
  step: n,
  total_steps: 4,
  epoch: n / 2,
  loss,
  lr: 0.001 * n,
  grad_norm: 1,
  tokens_per_s: 100,
  tokens,
  elapsed_s: n * 0.5,
});
const evalAt = (time: number, n: number, loss: number) => ({
  v: 1,
  time,
  type: "eval",
  step: n,
  eval_loss: loss,
  eval_tokens: 50,
});
const done = (time: number) => ({
  v: 1,
  time,
  type: "done",
  adapter_path: "adapter",
  metrics: { steps: 4, train_loss: 2.5, eval_loss: 1.5, tokens: 400, runtime_s: 2 },
});
const lines = (events: object[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";

const FRESH = [
  start(1000, 0),
  evalAt(1001, 0, 3.0),
  step(1002, 1, 3.2, 100),
  step(1003, 2, 2.6, 200),
  evalAt(1004, 2, 2.0),
  step(1005, 3, 2.2, 300),
  step(1006, 4, 1.9, 400),
  evalAt(1007, 4, 2.1),
  done(1008),
];

// Crashed after step 3 with a checkpoint at step 2; an hour later resumed from it, steps 3 and 4 replayed.
const RESUMED = [
  start(1000, 0),
  evalAt(1001, 0, 3.0),
  step(1002, 1, 3.2, 100),
  step(1003, 2, 2.6, 200),
  evalAt(1004, 2, 2.0),
  step(1005, 3, 9.9, 300),
  start(5000, 2),
  step(5001, 3, 2.2, 300),
  step(5002, 4, 1.9, 400),
  evalAt(5003, 4, 2.1),
  done(5004),
];

describe("summarizeTraining", () => {
  it("summarizes a fresh run", () => {
    const t = summarizeTraining(FRESH as never)!;
    expect(t).toMatchObject({
      steps: 4,
      total_steps: 4,
      epochs: 2,
      resumes: 0,
      final_train_loss: 1.9,
      base_eval_loss: 3.0,
      best_eval_loss: 2.0,
      best_eval_step: 2,
      final_eval_loss: 2.1,
      tokens: 400,
      wall_time_s: 8,
      train_time_s: 2,
      tokens_per_s: 200,
      params_trainable: 40,
      params_total: 1000,
      device: "cpu",
    });
    expect(t.curves.loss).toEqual([
      [1, 3.2],
      [2, 2.6],
      [3, 2.2],
      [4, 1.9],
    ]);
    expect(t.curves.lr).toEqual([
      [1, 0.001],
      [2, 0.002],
      [3, 0.003],
      [4, 0.004],
    ]);
    expect(t.curves.eval_loss).toEqual([
      [0, 3.0],
      [2, 2.0],
      [4, 2.1],
    ]);
  });

  it("continues a resumed run: one curve, replayed steps keep their later value, the pause is no wall time", () => {
    const t = summarizeTraining(RESUMED as never)!;
    expect(t.resumes).toBe(1);
    expect(t.steps).toBe(4);
    expect(t.curves.loss).toEqual([
      [1, 3.2],
      [2, 2.6],
      [3, 2.2],
      [4, 1.9],
    ]);
    expect(t.base_eval_loss).toBe(3.0);
    expect(t.best_eval_step).toBe(2);
    expect(t.wall_time_s).toBe(5 + 4); // 1000→1005 and 5000→5004
  });

  it("gives MFU (6N over the GPU's peak) when the trainer knew the peak, and null when it did not", () => {
    expect(summarizeTraining(FRESH as never)!.mfu).toBeNull();
    const onGpu = [{ ...start(1000, 0), peak_flops: 1.2e6 }, ...FRESH.slice(1)];
    // 200 tokens/s × 6 × 1000 params / 1.2e6 FLOP/s
    expect(summarizeTraining(onGpu as never)!.mfu).toBeCloseTo(1, 10);
  });

  it("is null when the trainer never started, and takes the last step when there is no done event", () => {
    expect(summarizeTraining([])).toBeNull();
    const t = summarizeTraining(RESUMED.slice(0, 6) as never)!;
    expect(t).toMatchObject({
      steps: 3,
      final_train_loss: 9.9,
      tokens: 300,
      train_time_s: 1.5,
      final_eval_loss: 2.0,
    });
  });

  it("reads events.jsonl, skipping library noise and a torn last line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "report-events-"));
    const file = join(dir, "events.jsonl");
    await writeFile(file, "warning: something\n" + lines(FRESH) + '{"v":1,"time":1009,"type":"st');
    expect(await readEvents(file)).toHaveLength(FRESH.length);
    expect(await readEvents(join(dir, "missing.jsonl"))).toEqual([]);
  });
});

describe("the training table's device row", () => {
  const device = (fields: object) =>
    new Map(trainingFacts(summarizeTraining([{ ...start(1000, 0), ...fields }] as never)!)).get("Device");

  it("names the strategy of several processes, DDP when a run predates its record, nothing for one", () => {
    expect(device({ world_size: 2, strategy: "fsdp" })).toBe("cpu, fp32, 2 processes (FSDP)");
    expect(device({ world_size: 2, strategy: "ddp" })).toBe("cpu, fp32, 2 processes (DDP)");
    expect(device({ world_size: 2 })).toBe("cpu, fp32, 2 processes (DDP)");
    expect(device({ world_size: 1, strategy: null })).toBe("cpu, fp32");
  });
});

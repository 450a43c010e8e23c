import { describe, expect, it } from "vitest";
import { formatDuration, progressLine } from "./progress-line.js";

describe("progressLine", () => {
  it("shows step, loss, lr, throughput and an ETA from the steps done in this process", () => {
    const line = progressLine(
      {
        v: 1,
        time: 0,
        type: "step",
        step: 60,
        total_steps: 150,
        epoch: 1,
        loss: 1.23456,
        lr: 0.0012,
        grad_norm: 1,
        tokens_per_s: 850.4,
        tokens: 1000,
        elapsed_s: 20,
      },
      50,
    );
    expect(line).toBe("step 60/150 · loss 1.2346 · lr 1.2e-3 · 850 tok/s · ETA 3m00s");
  });

  it("shows the effective batch of every process in the start line", () => {
    const start = {
      v: 1 as const,
      time: 0,
      type: "start" as const,
      run_id: "r",
      device: "cpu",
      precision: "fp32" as const,
      params_total: 2_000_000,
      params_trainable: 4_000,
      total_steps: 40,
      start_step: 12,
      train_examples: 100,
      train_sequences: 50,
    };
    expect(progressLine({ ...start, world_size: 2, global_batch_size: 16 })).toBe(
      "cpu, fp32, 4.0k trainable of 2.00M parameters, 40 steps of 16 sequences over 2 processes, resuming at step 12",
    );
    expect(progressLine({ ...start, world_size: 1, global_batch_size: 8 })).toContain(
      "40 steps of 8 sequences,",
    );
    expect(progressLine(start)).toContain("40 steps, resuming"); // a run recorded before the batch was
  });

  it("formats durations", () => {
    expect(formatDuration(59.4)).toBe("59s");
    expect(formatDuration(72)).toBe("1m12s");
    expect(formatDuration(3 * 3600 + 125)).toBe("3h02m");
  });
});

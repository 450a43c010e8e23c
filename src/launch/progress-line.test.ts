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

  it("formats durations", () => {
    expect(formatDuration(59.4)).toBe("59s");
    expect(formatDuration(72)).toBe("1m12s");
    expect(formatDuration(3 * 3600 + 125)).toBe("3h02m");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Report } from "../report/index.js";
import { eventPoint, metricKey, resultTags, resultValues } from "./metrics.js";

const fixture = () =>
  Report.parse(
    JSON.parse(readFileSync(new URL("../../test/fixtures/report/report.json", import.meta.url), "utf8")),
  );

describe("eventPoint", () => {
  const base = { v: 1 as const, time: 1700000000.5 };
  it("names the same keys for every system", () => {
    const step = { ...base, type: "step" as const, step: 3, total_steps: 9, epoch: 0.5, loss: 2, lr: 1e-3 };
    const point = eventPoint({ ...step, grad_norm: 1, tokens_per_s: 10, tokens: 30, elapsed_s: 3 }, 7);
    expect(point).toEqual({
      index: 7,
      step: 3,
      time: 1700000000.5,
      values: {
        "train/loss": 2,
        "train/lr": 1e-3,
        "train/grad_norm": 1,
        "train/tokens_per_s": 10,
        "train/epoch": 0.5,
        "train/tokens": 30,
      },
    });
    expect(eventPoint({ ...base, type: "eval", step: 4, eval_loss: 1.5, eval_tokens: 9 }, 8)?.values).toEqual(
      {
        "eval/loss": 1.5,
      },
    );
    expect(eventPoint({ ...base, type: "checkpoint", step: 4, path: "x" }, 9)).toBeUndefined();
  });

  it("marks a resumed session's first step, so replayed steps replace the old ones", () => {
    const start = {
      ...base,
      type: "start" as const,
      run_id: "r",
      device: "cpu",
      precision: "fp32" as const,
      params_total: 1,
      params_trainable: 1,
      total_steps: 9,
      train_examples: 1,
      train_sequences: 1,
    };
    expect(eventPoint({ ...start, start_step: 0 }, 0)).toBeUndefined();
    expect(eventPoint({ ...start, start_step: 5 }, 0)).toMatchObject({ step: 6, restart: true, values: {} });
  });
});

describe("results", () => {
  it("every suite metric with its interval and p-value, every gate, the training summary", () => {
    const values = resultValues(fixture());
    expect(values["held-out/exact_match/adapter"]).toBeCloseTo(0.545);
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining([
        "held-out/exact_match/base",
        "held-out/exact_match/difference",
        "held-out/exact_match/ci95_low",
        "held-out/exact_match/ci95_high",
        "held-out/exact_match/p_value",
        "smoke/contains/adapter",
        "final/best_eval_loss",
        "gate/exact_match",
      ]),
    );
    expect(values["gate/json_valid"]).toBe(0);
    expect(resultTags(fixture())).toMatchObject({
      outcome: "gates-failed",
      "gate/json_valid": "failed (>= 0.99)",
    });
    expect(metricKey("suite:α/loss")).toBe("suite__/loss");
  });
});

import { describe, expect, it } from "vitest";
import { bestStep, prunable } from "./retention.js";

const ckpt = (step: number, eval_loss?: number, complete = true) => ({
  step,
  complete,
  ...(eval_loss === undefined ? {} : { metrics: { eval_loss } }),
});

describe("retention", () => {
  const all = [ckpt(50, 1.4), ckpt(40, 1.3), ckpt(30, 0.9), ckpt(20, 1.1), ckpt(10), ckpt(60, 0.1, false)];

  it("keeps the newest keep_last and the best complete checkpoint by the metric", () => {
    const best = { metric: "eval_loss", mode: "min" as const };
    expect(bestStep(all, best)).toBe(30); // step 60 is lower but incomplete
    expect(prunable(all, 2, best).map((c) => c.step)).toEqual([20, 10]);
    expect(prunable(all, 2).map((c) => c.step)).toEqual([30, 20, 10]);
    expect(bestStep(all, { metric: "eval_loss", mode: "max" })).toBe(50);
  });

  it("prunes nothing without keep_last, and ignores checkpoints that lack the metric", () => {
    expect(prunable(all, undefined, { metric: "eval_loss", mode: "min" })).toEqual([]);
    expect(bestStep([ckpt(10), ckpt(20)], { metric: "eval_loss", mode: "min" })).toBeUndefined();
    expect(bestStep([ckpt(10, 1), ckpt(20, 1)], { metric: "eval_loss", mode: "min" })).toBe(20);
  });
});

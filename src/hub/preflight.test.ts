import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateMemory, shapeOf } from "./memory.js";
import { checkFit } from "./preflight.js";

// Llama-3.1-8B's config.json (the shape fields); 8.03 B parameters from its safetensors headers.
const shape = shapeOf(
  JSON.parse(
    readFileSync(join(import.meta.dirname, "../../test/fixtures/hub/llama-3.1-8b-config.json"), "utf8"),
  ),
  8_030_261_248,
);
const plan = {
  weightBytes: 2,
  microBatch: 8,
  seqLen: 4096,
  loraRank: 16,
  targets: "all-linear" as const,
  fusedLoss: false,
};
const gpu = (name: string, gib: number) => ({ name, memoryMiB: gib * 1024 });

/** The hint of the refusal `check` must throw. */
function refusalHint(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    return (error as { hint: string }).hint;
  }
  throw new Error("expected a refusal");
}

describe("checkFit", () => {
  it("refuses a run that cannot fit, with the numbers and what to change", () => {
    const estimate = estimateMemory(shape, plan);
    expect(() => checkFit(estimate, false, [gpu("NVIDIA H100 80GB HBM3", 80)], "estimate")).toThrow(
      /this run will not fit in GPU memory: it needs about \d+\.\d GiB \(weights 15\.0 GiB, .*\) on NVIDIA H100 80GB HBM3 with 80\.0 GiB/,
    );
    expect(refusalHint(() => checkFit(estimate, false, [gpu("L4", 24)], "estimate"))).toMatch(
      /micro_batch_size .* a GPU with at least \d+\.\d GiB/,
    );
  });

  it("suggests gradient checkpointing when that alone makes it fit, and warns when it is tight", () => {
    const small = estimateMemory(shape, { ...plan, microBatch: 4, seqLen: 2048, fusedLoss: true });
    expect(refusalHint(() => checkFit(small, false, [gpu("A100", 40)], "estimate"))).toMatch(
      /training\.gradient_checkpointing: true \(about \d+\.\d GiB\)/,
    );
    expect(checkFit(small, true, [gpu("A100", 40)], "estimate")).toBeUndefined();
    expect(checkFit(small, true, [gpu("L4", 24)], "estimate")).toMatch(/GPU memory is tight/);
  });

  it("checks nothing when no GPU reports its memory", () => {
    const estimate = estimateMemory(shape, plan);
    expect(checkFit(estimate, false, [], "estimate")).toBeUndefined();
    expect(checkFit(estimate, false, [{ name: "?", memoryMiB: null }], "estimate")).toBeUndefined();
  });
});

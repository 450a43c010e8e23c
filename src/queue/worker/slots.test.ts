import { describe, expect, it } from "vitest";
import { classifyExit } from "./classify.js";
import { Slots } from "./slots.js";

describe("a worker's slots and outcomes", () => {
  it("runs as many GPU-less jobs at once as it has CPU slots (one by default; a Ray worker: the cluster's CPUs)", () => {
    const one = new Slots([]);
    one.take(0);
    expect(one.cpuSlotFree).toBe(false);
    const three = new Slots([], 3);
    three.take(0);
    three.take(0);
    expect(three.cpuSlotFree).toBe(true);
    three.take(0);
    expect(three.cpuSlotFree).toBe(false);
    three.give([]);
    expect(three.cpuSlotFree).toBe(true);
  });

  it("calls a run that lost its cluster node (exit 75) lost, not failed", () => {
    expect(classifyExit({ code: 75, signal: null }, undefined, "/nowhere")).toBe("lost");
    expect(classifyExit({ code: 1, signal: null }, undefined, "/nowhere")).toBe("failed");
  });
});

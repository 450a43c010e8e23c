import { describe, expect, it } from "vitest";
import { limitConcurrency } from "./judge-limit.js";

describe("limitConcurrency", () => {
  it("never runs more than the limit at once, and runs every task", async () => {
    const limit = limitConcurrency(3);
    let active = 0;
    let peak = 0;
    const task = async (i: number) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 4)));
      active--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limit(() => task(i))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });
  it("frees the slot of a task that throws", async () => {
    const limit = limitConcurrency(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit(() => Promise.resolve("next"))).resolves.toBe("next");
  });
});

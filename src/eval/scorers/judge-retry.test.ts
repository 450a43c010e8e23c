import { describe, expect, it } from "vitest";
import { backoffMs, JudgeCallError, withRetries } from "./judge-retry.js";

describe("backoffMs", () => {
  it("doubles from 500 ms with half of each step jittered, up to the cap", () => {
    expect(backoffMs(0, undefined, { random: () => 0 })).toBe(250);
    expect(backoffMs(0, undefined, { random: () => 1 })).toBe(500);
    expect(backoffMs(3, undefined, { random: () => 0.5 })).toBe(3000);
    expect(backoffMs(20, undefined, { random: () => 1 })).toBe(30_000);
  });
  it("follows Retry-After, within reason", () => {
    expect(backoffMs(5, 0, {})).toBe(0);
    expect(backoffMs(0, 7000, {})).toBe(7000);
    expect(backoffMs(0, 3_600_000, {})).toBe(120_000);
  });
});

describe("withRetries", () => {
  const failing = (errors: Error[]) => {
    let calls = 0;
    const call = async () => {
      const error = errors[calls++];
      if (error) throw error;
      return calls;
    };
    return { call, calls: () => calls };
  };
  const pauses: number[] = [];
  const policy = { maxRetries: 2, random: () => 0, sleep: async (ms: number) => pauses.push(ms) };

  it("retries retryable failures with growing pauses, then succeeds", async () => {
    pauses.length = 0;
    const { call } = failing([new JudgeCallError("503", true), new JudgeCallError("429", true, 429, 0)]);
    await expect(withRetries(call, policy)).resolves.toBe(3);
    expect(pauses).toEqual([250, 0]);
  });
  it("gives up after maxRetries retries and rethrows the last failure", async () => {
    const last = new JudgeCallError("third", true);
    const { call, calls } = failing([new JudgeCallError("1", true), new JudgeCallError("2", true), last]);
    await expect(withRetries(call, policy)).rejects.toBe(last);
    expect(calls()).toBe(3);
  });
  it("does not retry a refused request", async () => {
    const { call, calls } = failing([new JudgeCallError("401", false, 401)]);
    await expect(withRetries(call, policy)).rejects.toThrow("401");
    expect(calls()).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, type RetryPolicy } from "./index.js";

describe("backoffDelay", () => {
  it("backs off exponentially with full jitter, capped", () => {
    const policy: RetryPolicy = { attempts: 5, baseMs: 100, maxDelayMs: 1000, maxElapsedMs: 10_000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter(" 12 ")).toBe(12_000);
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

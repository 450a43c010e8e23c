import { describe, expect, it } from "vitest";
import { isTransient, withRetry, type RetryPolicy } from "./retry.js";

const fast: RetryPolicy = { attempts: 5, baseMs: 1, maxDelayMs: 4, maxElapsedMs: 10_000 };
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
const denied = Object.assign(new Error("Access Denied"), {
  name: "AccessDenied",
  $metadata: { httpStatusCode: 403 },
});

describe("retries", () => {
  it("tells transient failures (network, 5xx, throttling) from permanent ones (4xx)", () => {
    expect(isTransient(refused)).toBe(true);
    expect(isTransient({ name: "X", $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient({ name: "SlowDown", $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient(denied)).toBe(false);
    expect(isTransient({ name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } })).toBe(false);
  });

  it("retries a transient failure until it succeeds, and gives up at once on a permanent one", async () => {
    let calls = 0;
    const retried: number[] = [];
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw refused;
        return "ok";
      },
      fast,
      (_e, attempt) => retried.push(attempt),
    );
    expect([value, calls, retried]).toEqual(["ok", 3, [0, 1]]);
    calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(denied)), fast)).rejects.toBe(denied);
    expect(calls).toBe(1);
    calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(refused)), fast)).rejects.toBe(refused);
    expect(calls).toBe(5);
  });
});

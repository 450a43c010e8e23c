import { describe, expect, it } from "vitest";
import { ByteProgress, formatProgress } from "./progress.js";

describe("ByteProgress", () => {
  it("gives bytes, the recent rate and the time left", () => {
    let now = 0;
    const progress = new ByteProgress(1_000_000_000, () => now);
    now = 2000;
    progress.add(200_000_000);
    const snapshot = progress.snapshot();
    expect(snapshot).toMatchObject({ done: 200_000_000, rate: 100_000_000, eta: 8 });
    expect(formatProgress(snapshot)).toBe("200 MB of 1.00 GB (20%), 100 MB/s, 8 s left");
    now = 60_000; // a stall: the window forgets the old rate
    progress.snapshot();
    now = 61_000;
    expect(progress.snapshot().rate).toBe(0);
  });
});

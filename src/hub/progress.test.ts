import { describe, expect, it } from "vitest";
import { ByteProgress, formatProgress, stepProgress } from "./progress.js";

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

describe("stepProgress", () => {
  it("times each step of a file from its own start, and shows a step only once it has taken a second", () => {
    let clock = 0;
    const shown: string[] = [];
    const report = stepProgress(
      "data/a.jsonl",
      (line) => shown.push(line),
      () => clock,
    );
    // Validating takes 0.5 s: nothing shown. Formatting takes 4 s at 50 MB/s.
    for (const ms of [250, 500]) {
      clock = ms;
      report("validating", ms * 400_000, 200e6);
    }
    const began = clock;
    for (let second = 1; second <= 4; second++) {
      clock = began + second * 1000;
      report("formatting", second * 50e6, 200e6);
    }
    expect(shown).toEqual([
      "formatting data/a.jsonl: 50.0 MB of 200 MB (25%), 50.0 MB/s, 3 s left",
      "formatting data/a.jsonl: 100 MB of 200 MB (50%), 50.0 MB/s, 2 s left",
      "formatting data/a.jsonl: 150 MB of 200 MB (75%), 50.0 MB/s, 1 s left",
      "formatting data/a.jsonl: 200 MB of 200 MB (100%), 50.0 MB/s",
    ]);
  });
});

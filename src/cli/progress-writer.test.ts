import { describe, expect, it } from "vitest";
import { fileProgress } from "./progress-writer.js";

/** A stream that keeps what is written, as a terminal or as a log file. */
function sink(isTTY: boolean) {
  const stream = { isTTY, text: "", write: (s: string) => ((stream.text += s), true) };
  return stream;
}

describe("dataset validate's progress line", () => {
  const MB = 1e6;

  it("says nothing for a file checked within a second", () => {
    let clock = 0;
    const out = sink(true);
    const progress = fileProgress("data/a.jsonl", out as unknown as NodeJS.WriteStream, () => clock);
    for (const bytes of [2, 4, 6]) {
      clock += 300;
      progress.report("validating", bytes * MB, 6 * MB);
    }
    progress.done();
    expect(out.text).toBe("");
  });

  it("shows bytes, rate and time left for a longer one, and ends at 100%", () => {
    let clock = 0;
    const out = sink(false); // a log: a line every 5 s and the last one
    const progress = fileProgress("data/big.jsonl", out as unknown as NodeJS.WriteStream, () => clock);
    for (let second = 1; second <= 12; second++) {
      clock = second * 1000;
      progress.report("validating", second * 100 * MB, 1200 * MB);
    }
    progress.done();
    expect(out.text.split("\n").filter(Boolean)).toEqual([
      "validating data/big.jsonl: 100 MB of 1.20 GB (8%), 100 MB/s, 11 s left",
      "validating data/big.jsonl: 600 MB of 1.20 GB (50%), 100 MB/s, 6 s left",
      "validating data/big.jsonl: 1.10 GB of 1.20 GB (91%), 100 MB/s, 1 s left",
      "validating data/big.jsonl: 1.20 GB of 1.20 GB (100%), 100 MB/s",
    ]);
  });
});

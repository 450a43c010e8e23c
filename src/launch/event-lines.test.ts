import { describe, expect, it } from "vitest";
import { parseEventLine } from "./event-lines.js";

describe("parseEventLine", () => {
  it("parses a step event", () => {
    const line = JSON.stringify({
      v: 1,
      time: 1,
      type: "step",
      step: 3,
      total_steps: 10,
      epoch: 0.3,
      loss: 2.5,
      lr: 1e-3,
      grad_norm: 0.7,
      tokens_per_s: 100,
      tokens: 300,
      elapsed_s: 3,
    });
    expect(parseEventLine(line)).toEqual({ event: JSON.parse(line) });
  });

  it("keeps library noise and malformed events as stray lines", () => {
    expect(parseEventLine("Loading checkpoint shards: 100%")).toEqual({
      stray: "Loading checkpoint shards: 100%",
    });
    expect(parseEventLine('{"v":1,"type":"step"}')).toEqual({ stray: '{"v":1,"type":"step"}' });
    expect(parseEventLine("{not json")).toEqual({ stray: "{not json" });
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { containsScorer } from "./contains.js";
import { SCORER_NAMES, getScorer } from "./index.js";
import { jsonSchemaScorer } from "./json-schema.js";
import { jsonValidScorer } from "./json-valid.js";
import { lossScorer, perplexityScorer } from "./loss.js";
import { regexScorer } from "./regex.js";
import { latencyScorer, tokensPerSecondScorer } from "./speed.js";
import { score } from "./test-helpers.js";

describe("contains", () => {
  it("passes on any or all of the strings", () => {
    expect(score(containsScorer, { any: ["cat", "dog"] }, "a dog")).toBe(1);
    expect(score(containsScorer, { any: ["cat", "dog"] }, "a bird")).toBe(0);
    expect(score(containsScorer, { all: ["cat", "dog"] }, "a dog")).toBe(0);
    expect(score(containsScorer, { all: ["cat", "dog"] }, "dog and cat")).toBe(1);
  });
  it("ignores case when asked", () => {
    expect(score(containsScorer, { any: ["Paris"] }, "paris")).toBe(0);
    expect(score(containsScorer, { any: ["Paris"], ignore_case: true }, "PARIS")).toBe(1);
  });
  it("needs exactly one of any/all", () => {
    expect(containsScorer.options.safeParse({}).success).toBe(false);
    expect(containsScorer.options.safeParse({ any: ["a"], all: ["b"] }).success).toBe(false);
  });
});

describe("regex", () => {
  it("matches anywhere unless anchored, with flags", () => {
    expect(score(regexScorer, { pattern: "\\d{3}" }, "call 555 now")).toBe(1);
    expect(score(regexScorer, { pattern: "^\\d{3}$" }, "call 555 now")).toBe(0);
    expect(score(regexScorer, { pattern: "^yes$", flags: "i" }, "YES")).toBe(1);
  });
  it("refuses an invalid pattern as an option error on `pattern`", () => {
    const result = regexScorer.options.safeParse({ pattern: "(unclosed" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["pattern"]);
    expect(result.error?.issues[0]?.message).toMatch(/invalid regular expression/);
  });
});

describe("json_valid", () => {
  it("accepts one JSON value with surrounding whitespace, nothing else", () => {
    expect(score(jsonValidScorer, {}, ' {"a": [1, 2]}\n')).toBe(1);
    expect(score(jsonValidScorer, {}, "42")).toBe(1);
    expect(score(jsonValidScorer, {}, '{"a": 1} trailing')).toBe(0);
    expect(score(jsonValidScorer, {}, "{'a': 1}")).toBe(0);
  });
});

describe("json_schema", () => {
  const schema = {
    type: "object",
    properties: { word: { type: "string" }, count: { type: "integer", minimum: 0 } },
    required: ["word", "count"],
    additionalProperties: false,
  };
  it("validates the parsed output against an inline schema", () => {
    expect(score(jsonSchemaScorer, { schema }, '{"word": "fox", "count": 3}')).toBe(1);
    expect(score(jsonSchemaScorer, { schema }, '{"word": "fox", "count": -1}')).toBe(0);
    expect(score(jsonSchemaScorer, { schema }, '{"word": "fox"}')).toBe(0);
    expect(score(jsonSchemaScorer, { schema }, "not json")).toBe(0);
  });
  it("reads a schema file relative to the suite file, 2020-12 included", () => {
    const dir = mkdtempSync(join(tmpdir(), "json-schema-"));
    const file = { $schema: "https://json-schema.org/draft/2020-12/schema", ...schema };
    writeFileSync(join(dir, "answer.schema.json"), JSON.stringify(file));
    const suiteFile = join(dir, "suite.yaml");
    const options = { schema: "answer.schema.json" };
    expect(score(jsonSchemaScorer, options, '{"word": "a", "count": 0}', "", { suiteFile })).toBe(1);
    expect(score(jsonSchemaScorer, options, '{"word": 1, "count": 0}', "", { suiteFile })).toBe(0);
  });
  it("throws a clear error for a missing file or an invalid schema", () => {
    expect(() => score(jsonSchemaScorer, { schema: "nope.json" }, "{}")).toThrow(/schema file not found/);
    expect(() => score(jsonSchemaScorer, { schema: { type: "objekt" } }, "{}")).toThrow(
      /invalid JSON Schema/,
    );
  });
});

describe("loss, perplexity, latency, tokens/s", () => {
  it("read the generation's numbers", () => {
    expect(score(lossScorer, {}, "", "", { loss: 0.5 })).toBe(0.5);
    expect(score(perplexityScorer, {}, "", "", { loss: Math.log(4) })).toBeCloseTo(4, 12);
    expect(score(perplexityScorer, {}, "")).toBeNaN();
    expect(score(latencyScorer, {}, "", "", { latency_s: 0.25 })).toBe(0.25);
    expect(score(tokensPerSecondScorer, {}, "", "", { latency_s: 0.5, new_tokens: 10 })).toBe(20);
    expect(score(tokensPerSecondScorer, {}, "", "", { latency_s: 0, new_tokens: 10 })).toBe(0);
  });
  it("say which direction is better", () => {
    expect([lossScorer, perplexityScorer, latencyScorer].map((s) => s.higherIsBetter)).toEqual([
      false,
      false,
      false,
    ]);
    expect(tokensPerSecondScorer.higherIsBetter).toBe(true);
  });
});

describe("registry", () => {
  it("finds every scorer by its name", () => {
    for (const name of SCORER_NAMES) expect(getScorer(name)?.name).toBe(name);
    expect(getScorer("exact_match")?.kind).toBe("binary");
    expect(getScorer("bleu")).toBeUndefined();
  });
});

describe("preference scorers", () => {
  const pair = (logp_chosen: number | null, logp_rejected: number | null) => ({
    index: 0,
    prompt: "p",
    reference: "a",
    output: "a",
    latency_s: 0,
    new_tokens: 0,
    logp_chosen,
    logp_rejected,
  });
  const accuracy = getScorer("preference_accuracy")!.create({}, { suiteFile: "", env: {} });
  const margin = getScorer("preference_margin")!.create({}, { suiteFile: "", env: {} });
  it("score which answer is more likely, and by how much", () => {
    expect([accuracy(pair(-3, -5)), accuracy(pair(-5, -3)), accuracy(pair(-4, -4))]).toEqual([1, 0, 0]);
    expect(margin(pair(-3, -5.5))).toBe(2.5);
  });
  it("leave a case that is not a pair unscored", () => {
    expect(accuracy(pair(null, -1))).toBeNaN();
    expect(margin({ ...pair(null, null), logp_chosen: undefined })).toBeNaN();
  });
});

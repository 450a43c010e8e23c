import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectFileFormat, readRecords, validateFile } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "pipeline-validate-"));
const tokenizer = join(import.meta.dirname, "../../test/fixtures/tokenizer/tokenizer.json");

function jsonl(name: string, rows: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}
const alpaca = (i: number, output = `answer ${i}`) => ({ instruction: `question ${i}`, input: "", output });

describe("validateFile", () => {
  it("reports progress through a JSON array up to its whole size", async () => {
    const file = join(dir, "array.json");
    const rows = Array.from({ length: 4000 }, (_, i) => alpaca(i, "lorem ipsum ".repeat(20)));
    writeFileSync(file, JSON.stringify(rows, null, 1));
    const seen: number[] = [];
    await validateFile(file, { onProgress: (bytes) => seen.push(bytes) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(statSync(file).size);
  });

  it("detects the format, counts rows and warns about duplicates and a small dataset", async () => {
    const file = jsonl("dups.jsonl", [
      alpaca(1),
      alpaca(2),
      { ...alpaca(1), output: "  answer   1 " },
      alpaca(1),
    ]);
    const report = await validateFile(file);
    expect(report).toMatchObject({
      format: "alpaca",
      rows: 4,
      validRows: 4,
      valid: true,
      locationKind: "line",
    });
    expect(report.formatReason).toContain("auto");
    const duplicate = report.warnings.find((w) => w.code === "duplicate");
    expect(duplicate).toMatchObject({
      count: 2,
      examples: [
        { line: 3, detail: "same as line 1" },
        { line: 4, detail: "same as line 1" },
      ],
    });
    expect(duplicate?.message).toContain("1 distinct row repeated");
    expect(report.warnings.map((w) => w.code)).toContain("few-examples");
    expect(report.stats.roles).toEqual({ system: 0, user: 4, assistant: 4, tool: 0 });
    expect(report.stats.turns).toMatchObject({ mean: 2, max: 2 });
  });

  it("reports rows of another format inside one file as errors", async () => {
    const rows = [alpaca(1), alpaca(2), { messages: [{ role: "user", content: "x" }] }];
    const report = await validateFile(jsonl("mixed.jsonl", rows));
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      { line: 3, path: "", code: "format-mismatch", message: expect.stringContaining("looks like messages") },
    ]);
  });

  it("reports unknown formats and empty files", async () => {
    const unknown = await validateFile(jsonl("unknown.jsonl", [{ question: "a", answer: "b" }]));
    expect(unknown.format).toBeNull();
    expect(unknown.errors[0]).toMatchObject({ line: 1, code: "unknown-format" });
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "\n\n");
    expect((await validateFile(empty)).errors[0]).toMatchObject({ code: "no-rows" });
  });

  it("estimates tokens as chars / 4, and counts them exactly with a tokenizer", async () => {
    const file = jsonl("long.jsonl", [alpaca(1, "hello world, what is this? ".repeat(40))]);
    const estimated = await validateFile(file, { maxTokens: 100 });
    expect(estimated.stats.tokens.exact).toBe(false);
    expect(estimated.warnings.find((w) => w.code === "long-row")?.message).toContain(
      "estimated as characters / 4",
    );
    const exact = await validateFile(file, { maxTokens: 100, tokenizer });
    expect(exact.stats.tokens.exact).toBe(true);
    // The fixture tokenizer (a tiny BPE trained with the Python `tokenizers`) gives 13 tokens for the
    // sentence there; the prompt adds a few.
    expect(exact.stats.tokens.max).toBeGreaterThanOrEqual(13 * 40);
    expect(exact.stats.tokens.max).not.toBe(estimated.stats.tokens.max);
  });

  it("warns about rows that also appear in the eval file", async () => {
    const train = jsonl("train.jsonl", [alpaca(1), alpaca(2), alpaca(3)]);
    const evalFile = jsonl("eval.jsonl", [alpaca(9), { ...alpaca(2), output: "answer  2" }]);
    const report = await validateFile(train, { evalFile });
    expect(report.warnings.find((w) => w.code === "eval-overlap")).toMatchObject({
      count: 1,
      examples: [{ line: 2, detail: `same as line 2 of ${evalFile}` }],
    });
  });

  it("caps the errors list and keeps counts per code", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) =>
      i === 0 ? alpaca(0) : { instruction: "x", output: "" },
    );
    const report = await validateFile(jsonl("many.jsonl", rows));
    expect(report.errors).toHaveLength(1000);
    expect(report.errorsOmitted).toBe(199);
    expect(report.errorGroups).toEqual([{ code: "empty-target", count: 1199, first: expect.any(Array) }]);
    expect(report.errorGroups[0]?.first).toHaveLength(5);
  });
});

describe("readRecords", () => {
  it("streams canonical records with null for invalid rows", async () => {
    const file = jsonl("records.jsonl", [{ text: "a" }, { text: "" }]);
    const rows = [];
    for await (const row of readRecords(file)) rows.push(row);
    expect(rows).toEqual([
      { location: 1, record: { kind: "text", text: "a" }, problems: [] },
      {
        location: 2,
        record: null,
        problems: [{ line: 2, path: "text", code: "empty-target", message: expect.any(String) }],
      },
    ]);
  });
});

describe("detectFileFormat", () => {
  it("names the format from the first rows", async () => {
    const file = jsonl("detect.jsonl", [{ conversations: [{ from: "human", value: "x" }] }]);
    expect(await detectFileFormat(file)).toEqual({
      format: "sharegpt",
      reason: expect.stringContaining("conversations"),
    });
    expect(await detectFileFormat(jsonl("none.jsonl", [{ q: 1 }]))).toBeUndefined();
  });
});

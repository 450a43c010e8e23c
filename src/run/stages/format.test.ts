import { describe, expect, it } from "vitest";
import type { DatasetReader } from "../../dataset/index.js";
import { afterValidation } from "./format.js";

describe("the format step after the validate step", () => {
  it("does not validate again a file the validate step checked, and validates any other", async () => {
    const validated: string[] = [];
    const reader: DatasetReader = {
      validateFile: async (path) => (validated.push(path), { format: "sharegpt", errors: [] }),
      readRecords: () => (async function* () {})(),
    };
    const run = afterValidation({ "data/a.jsonl": "alpaca" }, reader);
    expect(await run.validateFile("data/a.jsonl", { format: "auto" })).toEqual({
      format: "alpaca",
      errors: [],
    });
    expect(validated).toEqual([]);
    expect(await run.validateFile("data/b.jsonl", { format: "auto" })).toEqual({
      format: "sharegpt",
      errors: [],
    });
    expect(validated).toEqual(["data/b.jsonl"]);
  });
});

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline, root } from "./helpers/cli.js";

// Every dataset file the project ships validates cleanly (warnings allowed, no invalid row).
function dataFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return dataFiles(path);
    return /\.jsonl?$/.test(entry.name) ? [path] : [];
  });
}

describe("datasets/", () => {
  const files = dataFiles(join(root, "datasets"));

  it("ships the quickstart's train and eval files", () => {
    expect(files.map((f) => f.slice(root.length + 1)).sort()).toEqual(
      expect.arrayContaining(["datasets/quickstart/eval.jsonl", "datasets/quickstart/train.jsonl"]),
    );
  });

  it.each(files)("%s is valid", (file) => {
    const result = pipeline(["dataset", "validate", file, "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: number; validRows: number; errors: unknown[] };
    expect(report.errors).toEqual([]);
    expect(report.validRows).toBe(report.rows);
    expect(report.rows).toBeGreaterThan(0);
  });
});

import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, pipeline, realDatasets } from "./helpers/cli.js";

// End-to-end: `pipeline dataset format` on every real dataset made by other projects.
const expected: Record<string, { format: string; rows: number; shape: string }> = {
  "alpaca_en_demo.json": { format: "alpaca", rows: 999, shape: "segments" },
  "glaive_toolcall_en_demo.json": { format: "sharegpt", rows: 300, shape: "segments" },
  "dpo_en_demo.json": { format: "preference", rows: 300, shape: "preference" },
};

describe("dataset format on ../shared/real-datasets", () => {
  const files = readdirSync(realDatasets).filter((f) => f.endsWith(".json") && f !== "dataset_info.json");

  it("covers every data file there", () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const template of ["chatml", "llama3", "alpaca"]) {
    it.each(Object.keys(expected))(
      `formats %s with ${template} into train/eval with every row accounted for`,
      (file) => {
        const out = mkdtempSync(join(tmpdir(), "fmt-"));
        const result = pipeline([
          "dataset",
          "format",
          join(realDatasets, file),
          "--template",
          template,
          "-o",
          out,
          "--json",
        ]);
        expect(result.code, result.stderr).toBe(0);
        const manifest = JSON.parse(result.stdout) as {
          source: { format: string };
          shape: string;
          counts: { rows: number; train: number; eval: number };
          reused: boolean;
        };
        const want = expected[file]!;
        expect(manifest.source.format).toBe(want.format);
        expect(manifest.shape).toBe(want.shape);
        expect(manifest.counts.rows).toBe(want.rows);
        expect(manifest.counts.train + manifest.counts.eval).toBe(want.rows);
        expect(manifest.counts.eval).toBeGreaterThan(0.05 * want.rows);
        expect(manifest.counts.eval).toBeLessThan(0.15 * want.rows);
        const train = readFileSync(join(out, "train.jsonl"), "utf8").trim().split("\n");
        expect(train).toHaveLength(manifest.counts.train);
        const first = JSON.parse(train[0]!) as { segments?: { train: boolean }[]; chosen?: string };
        if (want.shape === "segments") expect(first.segments!.some((s) => s.train)).toBe(true);
        else expect(typeof first.chosen).toBe("string");

        const again = pipeline([
          "dataset",
          "format",
          join(realDatasets, file),
          "--template",
          template,
          "-o",
          out,
          "--json",
        ]);
        expect((JSON.parse(again.stdout) as { reused: boolean }).reused).toBe(true);
      },
    );
  }

  it("refuses a file with invalid rows: exit 1, every problem located, no stack trace", () => {
    const out = mkdtempSync(join(tmpdir(), "fmt-"));
    const broken = join(import.meta.dirname, "fixtures/datasets/unknown-role.jsonl");
    const result = pipeline(["dataset", "format", broken, "--template", "chatml", "-o", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown-role\.jsonl:2 › messages\[1\]\.role: unknown role "bot"/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors/index.js";
import { defaultSuite } from "../suite/default.js";
import type { CaseRow, Suite } from "../suite/index.js";
import { writeCasesFile } from "./cases-file.js";
import { againstChampion, scoreCases } from "./score.js";

const dir = () => mkdtempSync(join(tmpdir(), "runner-"));
const read = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { segments: { text: string; train: boolean }[] });

const fileSuite = (rows: CaseRow[]): Suite => ({
  ...defaultSuite(),
  name: "s",
  cases: { source: "file", file: "x.jsonl", rows },
});

describe("writeCasesFile", () => {
  it("renders a prompt/reference row as one user turn through the adapter's template", async () => {
    const out = join(dir(), "cases.jsonl");
    const suite = fileSuite([{ prompt: "Capital of France?", reference: "Paris" }]);
    expect(await writeCasesFile(suite, { templateName: "chatml" }, out)).toBe(1);
    const [row] = read(out);
    expect(row!.segments).toEqual([
      { text: "<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\n", train: false },
      { text: "Paris<|im_end|>", train: true },
      { text: "\n", train: false },
    ]);
  });

  it("passes formatted rows through and keeps the first `limit` cases", async () => {
    const segments = [
      { text: "Q", train: false },
      { text: "A", train: true },
    ];
    const out = join(dir(), "cases.jsonl");
    const suite = { ...fileSuite([{ segments }, { segments }, { segments }]), limit: 2 };
    expect(await writeCasesFile(suite, { templateName: "chatml" }, out)).toBe(2);
    expect(read(out)).toEqual([{ segments }, { segments }]);
  });

  it("reads the held-out split, and says what to do without one", async () => {
    const work = dir();
    writeFileSync(join(work, "eval.jsonl"), '{"segments":[{"text":"A","train":true}]}\n');
    const source = { templateName: "chatml", heldoutFile: join(work, "eval.jsonl") };
    expect(await writeCasesFile(defaultSuite(), source, join(work, "cases.jsonl"))).toBe(1);
    const missing = writeCasesFile(defaultSuite(), { templateName: "chatml" }, join(work, "x.jsonl"));
    await expect(missing).rejects.toBeInstanceOf(UsageError);
    await expect(missing).rejects.toThrow(/uses the held-out split, and there is none/);
  });
});

describe("scoreCases", () => {
  it("scores base and adapter of each case with every scorer; a missing loss is null", async () => {
    const generation = (output: string, loss?: number) => ({
      index: 0,
      prompt: "p",
      reference: "red fox",
      output,
      latency_s: 0.5,
      new_tokens: 3,
      loss,
    });
    const [scored] = await scoreCases(
      defaultSuite().scorers,
      [generation("blue fox")],
      [generation("red fox", 0)],
    );
    expect(scored!.base.scores).toEqual({ exact_match: 0, rouge_l: 0.5, loss: null, perplexity: null });
    expect(scored!.adapter.scores).toEqual({ exact_match: 1, rouge_l: 1, loss: 0, perplexity: 1 });
  });
});

describe("againstChampion", () => {
  const generation = (index: number, output: string) => ({
    index,
    prompt: "p",
    reference: "red fox",
    output,
    latency_s: 0.5,
    new_tokens: 3,
  });
  it("puts the champion's scored outputs in the base's place, keeping the adapter's scores", async () => {
    const { scorers } = defaultSuite();
    const scored = await scoreCases(
      scorers,
      [generation(0, "x"), generation(1, "y")],
      [generation(0, "red fox"), generation(1, "blue fox")],
    );
    // Given out of order: paired by case index, not position.
    const against = await againstChampion(scorers, scored, [generation(1, "red fox"), generation(0, "red")]);
    expect(
      against.map((c) => [c.base.output, c.base.scores.exact_match, c.adapter.scores.exact_match]),
    ).toEqual([
      ["red", 0, 1],
      ["red fox", 1, 0],
    ]);
    await expect(againstChampion(scorers, scored, [generation(0, "red")])).rejects.toThrow(/lack case 1/);
  });
});

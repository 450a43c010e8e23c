import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { CanonicalRecord } from "../types.js";
import { alpaca } from "./alpaca.js";
import { chatml } from "./chatml.js";
import type { SourceRow } from "./format-dataset.js";
import { formatFile, type DatasetReader, type FormatFileOptions, type RowError } from "./format-file.js";
import { sha256File } from "./hash.js";
import { findReusable } from "./manifest.js";

const chat = (i: number): CanonicalRecord => ({
  kind: "chat",
  messages: [
    { role: "user", content: `q${i}` },
    { role: "assistant", content: `a${i}` },
  ],
});

/** A stand-in for src/dataset's reader: fixed records, counting calls, optionally failing part-way. */
function fakeReader(
  records: (CanonicalRecord | null)[],
  options: { errors?: RowError[]; failAt?: number } = {},
) {
  const calls = { validate: 0, read: 0 };
  const reader: DatasetReader = {
    async validateFile() {
      calls.validate += 1;
      return { format: "messages", errors: options.errors ?? [] };
    },
    async *readRecords(): AsyncIterable<SourceRow> {
      calls.read += 1;
      for (const [i, record] of records.entries()) {
        await new Promise((resolve) => setImmediate(resolve)); // a real reader waits on I/O between rows
        if (i === options.failAt) throw new Error("disk went away");
        yield { location: i + 1, record };
      }
    },
  };
  return { reader, calls };
}

let dir: string;
let options: FormatFileOptions;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "format-"));
  const file = join(dir, "data.jsonl");
  await writeFile(file, "stand-in bytes: the fake reader supplies the records\n");
  options = {
    file,
    format: "auto",
    template: chatml(),
    evalFraction: 0.2,
    seed: 42,
    outDir: join(dir, "out"),
  };
});

const lines = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe("formatFile", () => {
  it("writes train/eval JSONL and a manifest whose counts and hashes match the files", async () => {
    const records = [...Array.from({ length: 200 }, (_, i) => chat(i)), null];
    const { manifest, reused } = await formatFile(options, fakeReader(records).reader);
    expect(reused).toBe(false);
    const train = await lines(join(options.outDir, "train.jsonl"));
    const evalRows = await lines(join(options.outDir, "eval.jsonl"));
    expect(manifest.counts).toEqual({
      rows: 201,
      train: train.length,
      eval: evalRows.length,
      preference: 0,
      feedback: 0,
      skipped: 1,
    });
    expect(train.length + evalRows.length).toBe(200);
    expect(evalRows.length).toBeGreaterThan(20);
    expect(evalRows.length).toBeLessThan(60);
    expect(train[0]).toEqual({
      segments: expect.arrayContaining([{ text: expect.stringMatching(/^a\d+<\|im_end\|>$/), train: true }]),
    });
    expect(manifest.files.train.sha256).toBe(await sha256File(join(options.outDir, "train.jsonl")));
    expect(manifest.source).toMatchObject({
      path: options.file,
      sha256: await sha256File(options.file),
      format: "messages",
    });
    expect(manifest.template).toMatchObject({ name: "chatml", bos: "", eos: "<|im_end|>", origin: null });
    expect(manifest.split).toMatchObject({ eval_fraction: 0.2, seed: 42 });
    expect(JSON.parse(await readFile(join(options.outDir, "manifest.json"), "utf8"))).toEqual(manifest);
    expect(await readdir(options.outDir)).toEqual(["eval.jsonl", "manifest.json", "train.jsonl"]);
  });

  it("writes the same bytes for the same input and seed", async () => {
    const records = Array.from({ length: 100 }, (_, i) => chat(i));
    const first = await formatFile(options, fakeReader(records).reader);
    const again = await formatFile(
      { ...options, outDir: join(dir, "again") },
      fakeReader([...records].reverse()).reader,
    );
    expect(new Set((await lines(join(dir, "again", "eval.jsonl"))).map((r) => JSON.stringify(r)))).toEqual(
      new Set((await lines(join(options.outDir, "eval.jsonl"))).map((r) => JSON.stringify(r))),
    );
    expect(again.manifest.content_hash).toBe(first.manifest.content_hash);
  });

  it("reuses unchanged output without validating or reading again", async () => {
    const records = Array.from({ length: 50 }, (_, i) => chat(i));
    const first = await formatFile(options, fakeReader(records).reader);
    const { reader, calls } = fakeReader(records);
    const second = await formatFile(options, reader);
    expect(second).toEqual({ manifest: first.manifest, reused: true });
    expect(calls).toEqual({ validate: 0, read: 0 });
  });

  it("re-processes when the source, seed, split, template or an output file changes", async () => {
    const records = Array.from({ length: 50 }, (_, i) => chat(i));
    const first = await formatFile(options, fakeReader(records).reader);
    const rerun = async (changed: FormatFileOptions) =>
      (await formatFile(changed, fakeReader(records).reader)).reused;
    expect(await rerun({ ...options, seed: 7 })).toBe(false);
    expect(await rerun({ ...options, evalFraction: 0.5 })).toBe(false);
    expect(await rerun({ ...options, template: alpaca() })).toBe(false);
    expect(await rerun({ ...options, template: alpaca({ bos: "", eos: "<eos>" }) })).toBe(false);
    expect(await rerun(options)).toBe(false); // back to the first settings: the directory held the last ones
    expect(await rerun(options)).toBe(true);
    await writeFile(join(options.outDir, "eval.jsonl"), "tampered\n");
    expect(await rerun(options)).toBe(false);
    await writeFile(options.file, "other bytes\n");
    const changed = await formatFile(options, fakeReader(records).reader);
    expect(changed.reused).toBe(false);
    expect(changed.manifest.content_hash).not.toBe(first.manifest.content_hash);
  });

  it("refuses invalid rows with every problem located, writing nothing", async () => {
    const errors = [
      { line: 3, path: "messages[1].role", code: "unknown-role", message: 'unknown role "bot"' },
      { index: 7, code: "not-object", message: "row is not a JSON object" },
    ];
    const failure = formatFile(options, fakeReader([chat(1)], { errors }).reader);
    await expect(failure).rejects.toMatchObject({
      code: "dataset-invalid",
      exitCode: 1,
      problems: [
        { location: `${options.file}:3 › messages[1].role`, message: 'unknown role "bot" [unknown-role]' },
        { location: `${options.file}:7`, message: "row is not a JSON object [not-object]" },
      ],
    });
    await expect(readdir(options.outDir)).rejects.toThrow(/ENOENT/);
  });

  it("says so when the source file is missing", async () => {
    await expect(
      formatFile({ ...options, file: join(dir, "nope.jsonl") }, fakeReader([]).reader),
    ).rejects.toMatchObject({
      code: "file-unreadable",
      exitCode: 2,
    });
  });

  it("leaves an earlier complete output untouched and no temp files when a run fails midway", async () => {
    const records = Array.from({ length: 50 }, (_, i) => chat(i));
    const first = await formatFile(options, fakeReader(records).reader);
    const before = await readdir(options.outDir);
    await expect(
      formatFile({ ...options, seed: 9 }, fakeReader(records, { failAt: 30 }).reader),
    ).rejects.toThrow("disk went away");
    await new Promise((resolve) => setTimeout(resolve, 50)); // let any stray file operation land
    expect(await readdir(options.outDir)).toEqual(before);
    expect(await findReusable(options.outDir, first.manifest.content_hash)).toEqual(first.manifest);
  });

  it("writes preference pairs as {prompt, chosen, rejected} and refuses a file mixing them with chats", async () => {
    const pair: CanonicalRecord = {
      kind: "preference",
      prompt: [{ role: "user", content: "2+2?" }],
      chosen: [{ role: "assistant", content: "4" }],
      rejected: [{ role: "assistant", content: "5" }],
    };
    const { manifest } = await formatFile({ ...options, evalFraction: 0 }, fakeReader([pair]).reader);
    expect(manifest).toMatchObject({
      shape: "preference",
      counts: { rows: 1, train: 1, eval: 0, preference: 1 },
    });
    expect(await lines(join(options.outDir, "train.jsonl"))).toEqual([
      {
        prompt: "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n",
        chosen: "4<|im_end|>\n",
        rejected: "5<|im_end|>\n",
      },
    ]);
    expect(await readFile(join(options.outDir, "eval.jsonl"), "utf8")).toBe("");
    await expect(
      formatFile({ ...options, seed: 1 }, fakeReader([pair, chat(1)]).reader),
    ).rejects.toMatchObject({
      code: "mixed-row-kinds",
    });
  });
});

describe("formatFile with the real reader", () => {
  it("reports its progress through the file: validating it, then formatting it, each up to its size", async () => {
    const { readRecords, validateFile } = await import("../index.js");
    const file = join(dir, "big.jsonl");
    const row = (i: number) =>
      JSON.stringify({ instruction: `q${i} ${"word ".repeat(40)}`, input: "", output: `a${i}` });
    await writeFile(file, Array.from({ length: 6000 }, (_, i) => row(i)).join("\n") + "\n");
    const size = (await readFile(file)).length;
    const seen: [string, number][] = [];
    await formatFile(
      {
        ...options,
        file,
        onProgress: (step, bytes, total) => seen.push([step, total === size ? bytes : NaN]),
      },
      { validateFile, readRecords },
    );
    const steps = seen.map(([step]) => step);
    expect(steps.indexOf("formatting")).toBeGreaterThan(0);
    expect(steps.lastIndexOf("validating")).toBeLessThan(steps.indexOf("formatting"));
    for (const step of ["validating", "formatting"]) {
      const bytes = seen.filter(([s]) => s === step).map(([, b]) => b);
      expect(bytes.length, step).toBeGreaterThan(1); // ~1.4 MB in 256 KiB chunks
      expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
      expect(bytes.at(-1)).toBe(size);
    }
  });
});

import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFile, loadTemplate, readRecords, validateFile } from "../dataset/index.js";
import { buildReport, outcome } from "./build-report.js";
import { readReport, writeReport } from "./write-report.js";

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: "user", content: `question ${i}` },
      { role: "assistant", content: `answer ${i}` },
    ],
  });

const events = [
  {
    v: 1,
    time: 1767225600,
    type: "start",
    run_id: "r1",
    device: "cpu",
    precision: "fp32",
    params_total: 1000,
    params_trainable: 50,
    total_steps: 2,
    start_step: 0,
    train_examples: 8,
    train_sequences: 8,
  },
  { v: 1, time: 1767225601, type: "eval", step: 0, eval_loss: 3, eval_tokens: 10 },
  {
    v: 1,
    time: 1767225602,
    type: "step",
    step: 2,
    total_steps: 2,
    epoch: 1,
    loss: 2,
    lr: 0.001,
    grad_norm: 1,
    tokens_per_s: 10,
    tokens: 40,
    elapsed_s: 1,
  },
  { v: 1, time: 1767225603, type: "checkpoint", step: 2, path: "checkpoints/step-000002" },
  {
    v: 1,
    time: 1767229200,
    type: "done",
    adapter_path: "adapter",
    metrics: { steps: 2, train_loss: 2, eval_loss: null, tokens: 40, runtime_s: 1 },
  },
];

/** A run directory as `pipeline run` leaves it: formatted data with manifests, events, checkpoints. */
async function runDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "report-run-"));
  const source = join(dir, "source.jsonl");
  const evalSource = join(dir, "held-out.jsonl");
  await writeFile(source, Array.from({ length: 10 }, (_, i) => chat(i)).join("\n") + "\n");
  await writeFile(evalSource, [chat(100), chat(101), chat(102)].join("\n") + "\n");
  const template = await loadTemplate("chatml", {});
  const reader = { validateFile, readRecords };
  const common = { format: "auto" as const, template, seed: 42 };
  await formatFile({ ...common, file: source, evalFraction: 0, outDir: join(dir, "data/0") }, reader);
  await formatFile(
    { ...common, file: evalSource, evalFraction: 0, outDir: join(dir, "data/0-eval") },
    reader,
  );
  await formatFile({ ...common, file: source, evalFraction: 0.3, outDir: join(dir, "data/1") }, reader);
  await writeFile(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  await writeFile(join(dir, "run.json"), JSON.stringify({ createdAt: "2026-01-01T00:00:00.000Z" }));
  const done = join(dir, "checkpoints/step-000002");
  await mkdir(done, { recursive: true });
  await writeFile(join(done, "a.bin"), "abc");
  const sha256 = createHash("sha256").update("abc").digest("hex");
  await writeFile(
    join(done, "manifest.json"),
    JSON.stringify({ version: 1, step: 2, files: [{ path: "a.bin", size: 3, sha256 }] }),
  );
  await mkdir(join(dir, "checkpoints/step-000004"), { recursive: true }); // a save cut short: no manifest
  return dir;
}

const inputs = (dir: string) => ({
  runDir: dir,
  runId: "r1",
  configFile: "configs/run.yaml",
  configHash: "ab".repeat(32),
  baseModel: "builtin:tiny",
  runtime: "local",
  status: "done" as const,
  suites: [],
  gates: [],
  gpus: 2,
  pricePerGpuHour: 3,
});

describe("buildReport", () => {
  it("reads the data manifests, events and checkpoints of a run directory", async () => {
    const dir = await runDir();
    const report = await buildReport(inputs(dir));
    expect(report.created_at).toBe("2026-01-01T00:00:00.000Z");
    expect(report.datasets).toHaveLength(2);
    expect(report.datasets[0]).toMatchObject({
      source: join(dir, "source.jsonl"),
      eval_source: join(dir, "held-out.jsonl"),
      rows: 10,
      train: 10,
      eval: 3,
    });
    const split = report.datasets[1]!;
    expect(split.eval_source).toBeNull();
    expect(split.train + split.eval).toBe(10);
    expect(split.eval).toBeGreaterThan(0);
    expect(report.training).toMatchObject({ steps: 2, base_eval_loss: 3, wall_time_s: 3600 });
    expect(report.checkpoints).toEqual([
      { step: 4, path: "checkpoints/step-000004", complete: false },
      { step: 2, path: "checkpoints/step-000002", complete: true },
    ]);
    expect(report.cost).toEqual({ gpus: 2, gpu_hours: 2, price_per_gpu_hour: 3, currency: "USD", total: 6 });
    expect(report.outcome).toEqual({ status: "passed", message: null });
  });

  it("has no cost without a price, a CPU run priced as one device, and writes a report that reads back", async () => {
    const dir = await runDir();
    expect((await buildReport({ ...inputs(dir), pricePerGpuHour: null })).cost).toBeNull();
    const report = await buildReport({ ...inputs(dir), gpus: 0 });
    expect(report.cost?.gpus).toBe(0);
    expect(report.cost?.gpu_hours).toBeGreaterThan(0);
    expect(report.cost?.total).toBeCloseTo(report.cost!.gpu_hours * report.cost!.price_per_gpu_hour);
    const files = await writeReport(dir, report);
    expect(await readReport(dir)).toEqual(report);
    expect(await readFile(files.markdown, "utf8")).toContain("# Run r1");
    expect(await readFile(files.html, "utf8")).toContain("<svg");
  });

  it("turns a failed gate into gates-failed, but a failed run stays failed", () => {
    const gate = { metric: "m", suite: "s", expression: ">= 1", actual: 0, threshold: 1, passed: false };
    expect(outcome("done", [gate])).toBe("gates-failed");
    expect(outcome("done", [{ ...gate, passed: true }])).toBe("passed");
    expect(outcome("failed", [{ ...gate, passed: true }])).toBe("failed");
    expect(outcome("interrupted", [])).toBe("interrupted");
    // Trained, but its checkpoints did not all reach the store: never a plain pass.
    const store = {
      uri: "s3://b/runs",
      stored: ["run state"],
      not_stored: [{ what: "adapter", error: "down" }],
    };
    expect(outcome("done", [{ ...gate, passed: true }], store)).toBe("not-stored");
    expect(outcome("done", [], { ...store, not_stored: [] })).toBe("passed");
    expect(outcome("failed", [], store)).toBe("failed");
  });

  it("refuses to write a report that breaks the contract, and names the path of each problem on read", async () => {
    const dir = await runDir();
    const report = await buildReport(inputs(dir));
    await expect(writeReport(dir, { ...report, version: 2 } as never)).rejects.toThrow();
    await writeFile(
      join(dir, "report.json"),
      JSON.stringify({ ...report, runtime: 5, cost: { total: "x" } }),
    );
    const error = await readReport(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "report-invalid", exitCode: 2 });
    const locations = (error as { problems: { location: string }[] }).problems.map((p) => p.location);
    expect(locations).toEqual(
      expect.arrayContaining([
        `${join(dir, "report.json")} › runtime`,
        `${join(dir, "report.json")} › cost.gpus`,
      ]),
    );
  });
});

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { registerRuntime, type GenerateJob, type Runtime, type TrainerEvent } from "../launch/index.js";
import { readRecordFile } from "../run-dir/index.js";
import { runPipeline, startFresh, startResume, writeRunReport, type Progress } from "./index.js";

// The run pipeline in-process with a fake runtime registered in one place (as `ray`, which has no real one
// yet): the real data, render, eval and report stages around a runtime that "trains" by replaying events
// and "generates" by answering every prompt with its reference (the adapter) or nothing (the base).
const rows = Array.from({ length: 20 }, (_, i) => ({
  messages: [
    { role: "user", content: `say ${i}` },
    { role: "assistant", content: `${i}` },
  ],
}));

async function workspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "run-pipeline-"));
  await mkdir(join(root, "model"));
  await writeFile(join(root, "model/config.json"), "{}\n");
  await writeFile(join(root, "train.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const config = [
    "base_model: ./model",
    "device: cpu",
    "datasets:",
    "  - path: train.jsonl",
    "    template: chatml",
    "    eval_split: 0.25",
    "training: { max_steps: 2, save_steps: 1 }",
    "eval:",
    '  gates: { exact_match: ">= base + 0.5" }',
    "runtime: { type: ray, address: http://127.0.0.1:8265 }",
    `output: { runs_dir: ${join(root, "runs")} }`,
    "",
  ].join("\n");
  await writeFile(join(root, "run.yaml"), config);
  return root;
}

interface Calls {
  prepared: number;
  specs: string[];
  jobs: GenerateJob[];
}

function fakeRuntime(calls: Calls): Runtime {
  return {
    async prepare() {
      calls.prepared++;
      return { runtime: "ray", where: "fake cluster", gpus: [0, 1] };
    },
    async train(request) {
      calls.specs.push(request.specPath);
      const { spec } = request;
      const start = spec.resume_from ? 1 : 0;
      const events = trainerEvents(spec.run_id, start, spec.output.adapter_dir);
      await mkdir(spec.output.adapter_dir, { recursive: true });
      await writeFile(join(spec.output.adapter_dir, "adapter_config.json"), "{}\n");
      return {
        events: (async function* () {
          for (const event of events) yield event;
        })(),
        wait: async () => ({ exitCode: 0, signal: undefined }),
        cancel: async () => {},
      };
    },
    async generate(job) {
      calls.jobs.push(job);
      const cases = (await readFile(job.prompts, "utf8")).split("\n").filter(Boolean);
      const answer = (adapter: boolean) =>
        cases
          .map((line, index) => {
            const segments = (JSON.parse(line) as { segments: { text: string; train: boolean }[] }).segments;
            const reference = segments.findLast((s) => s.train)!.text.replace("<|im_end|>\n", "");
            const output = adapter ? reference : "";
            return JSON.stringify({ index, prompt: "p", reference, output, latency_s: 0.1, new_tokens: 1 });
          })
          .join("\n") + "\n";
      await writeFile(job.out, answer(true));
      await writeFile(job.baseOut, answer(false));
    },
  };
}

function trainerEvents(runId: string, startStep: number, adapter: string): TrainerEvent[] {
  const time = Date.now() / 1000;
  const base = { v: 1 as const, time };
  return [
    {
      ...base,
      type: "start",
      run_id: runId,
      device: "cpu",
      precision: "fp32",
      params_total: 100,
      params_trainable: 10,
      total_steps: 2,
      start_step: startStep,
      train_examples: 15,
      train_sequences: 15,
    },
    { ...base, type: "eval", step: 0, eval_loss: 3, eval_tokens: 10 },
    ...[1, 2]
      .filter((step) => step > startStep)
      .map((step) => ({
        ...base,
        type: "step" as const,
        step,
        total_steps: 2,
        epoch: step / 2,
        loss: 3 - step,
        lr: 0.001,
        grad_norm: 1,
        tokens_per_s: 100,
        tokens: 10 * step,
        elapsed_s: step,
      })),
    { ...base, type: "eval", step: 2, eval_loss: 1, eval_tokens: 10 },
    {
      ...base,
      type: "done",
      adapter_path: adapter,
      metrics: { steps: 2, train_loss: 1.5, eval_loss: 1, tokens: 20, runtime_s: 2 },
    },
  ];
}

const quiet: Progress = { output: () => {}, title: () => {} };
let restore = () => {};
afterEach(() => restore());

describe("the run pipeline with a registered runtime", () => {
  it("drives a fake runtime through preflight, train and evaluate, and records where each ran", async () => {
    const root = await workspace();
    const calls: Calls = { prepared: 0, specs: [], jobs: [] };
    restore = registerRuntime("ray", () => fakeRuntime(calls));
    const state = await startFresh({ configFile: join(root, "run.yaml"), set: [], runsDir: "runs" });
    await runPipeline(state, quiet);

    expect(calls.prepared).toBe(1);
    expect(calls.specs).toEqual([state.setup.paths.spec]);
    expect(state.need("train").outcome.status).toBe("done");
    expect(state.need("train").baseEvalLoss).toBe(3);
    // One generation job for the default held-out suite, in the run's eval folder.
    expect(calls.jobs).toHaveLength(1);
    expect(calls.jobs[0]!.prompts).toBe(join(state.setup.paths.eval, "heldout", "cases.jsonl"));
    const { exactMatch, gates } = state.need("evaluate");
    const heldOut = readFileSync(state.need("format").eval!, "utf8").split("\n").filter(Boolean).length;
    expect(heldOut).toBeGreaterThan(0);
    expect(exactMatch).toMatchObject({ n: heldOut, base: 0, adapter: 1 });
    expect(gates.every((g) => g.passed)).toBe(true);

    const record = await readRecordFile(state.setup.paths.record);
    expect(record).toMatchObject({ status: "done", runtime: "ray", trainedOn: "fake cluster", gpus: [0, 1] });
    expect(record.evaluatedOn).toBe("fake cluster");
    await writeRunReport(state);
    const report = JSON.parse(readFileSync(state.setup.paths.report.json, "utf8")) as {
      outcome: { status: string };
    };
    expect(report.outcome.status).toBe("passed");
  });

  it("resumes with the run's own splits and spec, skipping validation and formatting", async () => {
    const root = await workspace();
    const calls: Calls = { prepared: 0, specs: [], jobs: [] };
    restore = registerRuntime("ray", () => fakeRuntime(calls));
    const first = await startFresh({ configFile: join(root, "run.yaml"), set: [], runsDir: "runs" });
    await runPipeline(first, quiet);
    const checkpoint = join(first.setup.paths.checkpoints, "step-000001");
    await mkdir(checkpoint, { recursive: true });
    await writeFile(join(checkpoint, "x.bin"), "x");
    await writeFile(
      join(checkpoint, "manifest.json"),
      JSON.stringify({ version: 1, step: 1, files: [{ path: "x.bin", size: 1, sha256: sha256("x") }] }),
    );

    const resumed = await startResume(first.setup.paths.id, { runsDir: join(root, "runs") });
    await runPipeline(resumed, quiet);
    expect(resumed.get("validate")).toBeUndefined();
    expect(resumed.need("render").resumedFrom).toBe(1);
    expect(resumed.need("format").train).toBe(join(first.setup.paths.data, "train.jsonl"));
    expect(existsSync(first.setup.paths.spec)).toBe(true);
  });
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

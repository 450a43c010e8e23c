import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePython } from "../src/launch/index.js";
import { hasStackTrace, pipeline, root, tinyEvalArgs } from "./helpers/cli.js";
import { freePort } from "./helpers/net.js";
import { onlyRun, trainingWorkspace } from "./helpers/run-workspace.js";
import { transformersServe } from "./helpers/transformers-serve.js";

// A real short run on the built-in tiny model: its adapter is what the serving commands check and export.
let cwd: string;
let run: { id: string; dir: string };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = { ...process.env, CI: "1", OMP_NUM_THREADS: "1", PIPELINE_PYTHON: await ensurePython() };
  cwd = await trainingWorkspace({ max_steps: 6 }, { train: 64, eval: 8 });
  const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
  if (result.code !== 0) throw new Error(`the run failed:\n${result.stderr}`);
  run = onlyRun(join(cwd, "runs"));
});

describe("pipeline adapter check (a real trained adapter)", () => {
  it("passes vLLM, TGI and peft, checked against the run's recorded base", () => {
    for (const target of ["vllm", "tgi", "peft"]) {
      const result = pipeline(
        ["adapter", "check", run.id, "--runs-dir", "runs", "--target", target, "--json"],
        { cwd, env },
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as {
        passed: boolean;
        base: string;
        findings: unknown[];
        adapter: string;
      };
      expect(out).toMatchObject({ passed: true, findings: [], adapter: join(run.dir, "adapter") });
      expect(out.base).toMatch(/models\/tiny$/);
    }
  });

  it("exits 2 naming the input for a run that does not exist and for a folder that is no adapter", () => {
    const missing = pipeline(["adapter", "check", "no-such-run", "--runs-dir", "runs"], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /error\[run-not-found\]: no-such-run is neither an adapter folder nor a run/,
    );
    const notAdapter = pipeline(["adapter", "check", join(run.dir, "data")], { cwd, env });
    expect(notAdapter.code).toBe(2);
    expect(hasStackTrace(missing.stderr + notAdapter.stderr)).toBe(false);
  });
});

/** docker/generate.py's greedy outputs on the run's formatted eval split, per case. */
function generate(model: string, out: string, adapter?: string): string[] {
  const args = [
    join(root, "docker/generate.py"),
    "--model",
    model,
    "--prompts",
    join(run.dir, "data/eval.jsonl"),
  ];
  const extra = adapter ? ["--adapter", adapter, "--base-out", `${out}.base`] : [];
  const done = spawnSync(
    env.PIPELINE_PYTHON!,
    [...args, ...extra, "--out", out, "--max-new-tokens", "32", "--no-loss"],
    {
      cwd,
      env: { ...env, PYTHONPATH: join(root, "docker") },
      encoding: "utf8",
    },
  );
  if (done.status !== 0) throw new Error(`generate.py failed:\n${done.stderr}`);
  return outputs(out);
}

const outputs = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { output: string }).output);

describe("pipeline export (a real trained adapter)", () => {
  it("--merge writes safetensors + tokenizer that plain transformers loads, with base + adapter's greedy outputs", () => {
    const result = pipeline(["export", run.id, "--runs-dir", "runs", "--merge", "-o", "merged", "--json"], {
      cwd,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    const merged = join(cwd, "merged");
    expect(readdirSync(merged)).toEqual(
      expect.arrayContaining(["model.safetensors", "config.json", "tokenizer.json"]),
    );
    const load = spawnSync(
      env.PIPELINE_PYTHON!,
      [
        "-c",
        "import sys; from transformers import AutoModelForCausalLM as M; m = M.from_pretrained(sys.argv[1]); print(sum('lora' in n for n, _ in m.named_parameters()))",
        merged,
      ],
      { env, encoding: "utf8" },
    );
    expect(load.status, load.stderr).toBe(0);
    expect(load.stdout.trim()).toBe("0");

    const adapter = generate(join(root, "models/tiny"), join(cwd, "adapter.jsonl"), join(run.dir, "adapter"));
    const base = outputs(join(cwd, "adapter.jsonl.base"));
    expect(adapter.length).toBeGreaterThan(0);
    expect(adapter).not.toEqual(base); // the adapter changes the answers, so equality below means something
    expect(generate(merged, join(cwd, "merged.jsonl"))).toEqual(adapter);
  });

  it("without --merge copies the adapter its manifest lists; refuses a non-empty folder unless --force", () => {
    mkdirSync(join(cwd, "out"));
    writeFileSync(join(cwd, "out/keep.txt"), "mine");
    const refused = pipeline(["export", run.id, "--runs-dir", "runs", "-o", "out"], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/error\[output-exists\]: -o .*out exists and is not empty/);
    expect(readFileSync(join(cwd, "out/keep.txt"), "utf8")).toBe("mine");

    const forced = pipeline(["export", run.id, "--runs-dir", "runs", "-o", "out", "--force"], { cwd, env });
    expect(forced.code, forced.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(run.dir, "adapter/manifest.json"), "utf8")) as {
      files: { path: string }[];
    };
    expect(readdirSync(join(cwd, "out")).sort()).toEqual(
      [...manifest.files.map((f) => f.path), "manifest.json"].sort(),
    );
    for (const { path } of manifest.files)
      expect(readFileSync(join(cwd, "out", path))).toEqual(readFileSync(join(run.dir, "adapter", path)));
  });

  it("an adapter that does not match its manifest is refused (exit 1), nothing written", () => {
    const copy = join(cwd, "copy", run.id);
    cpSync(run.dir, copy, { recursive: true });
    const weights = join(copy, "adapter/adapter_model.safetensors");
    const bytes = readFileSync(weights);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(weights, bytes);
    const result = pipeline(["export", copy, "-o", "corrupt"], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error\[adapter-mismatch\]: .* does not match its manifest: adapter_model.safetensors does not match its sha256/,
    );
    expect(existsSync(join(cwd, "corrupt"))).toBe(false);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

const SUITE =
  "name: parity\ncases: cases.jsonl\ngenerate: { max_new_tokens: 24, batch_size: 4 }\nscorers:\n  - exact_match\n";

/** `pipeline eval` of the run's adapter, with every prompt also sent to `endpoint`, as JSON. */
function evalAgainst(endpoint: string, servedModel: string, out: string) {
  const cases = readFileSync(join(cwd, "data/eval.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const { messages } = JSON.parse(line) as { messages: { content: string }[] };
      return JSON.stringify({ prompt: messages[0]!.content, reference: messages[1]!.content }) + "\n";
    });
  writeFileSync(join(cwd, "cases.jsonl"), cases.join(""));
  writeFileSync(join(cwd, "parity.yaml"), SUITE);
  const args = tinyEvalArgs(join(run.dir, "adapter"), "parity.yaml");
  const served = ["--endpoint", endpoint, "--served-model", servedModel, "--out", out, "--json"];
  const result = pipeline([...args, "--template", "chatml", ...served], { cwd, env });
  const parsed = result.stdout
    ? (JSON.parse(result.stdout) as {
        serving: {
          agreement: number;
          cases: number;
          disagreements: { served: string; pipeline: string }[];
        }[];
      })
    : undefined;
  return { ...result, serving: parsed?.serving?.[0] };
}

describe("pipeline eval --endpoint (a real OpenAI-compatible server: transformers serve)", () => {
  it("the merged export, served, answers every eval prompt as the pipeline's own generation with the adapter", async () => {
    const exported = pipeline(["export", run.id, "--runs-dir", "runs", "--merge", "-o", "served"], {
      cwd,
      env,
    });
    expect(exported.code, exported.stderr).toBe(0);
    const server = await transformersServe(env.PIPELINE_PYTHON!, join(cwd, "served"));
    try {
      const result = evalAgainst(server.url, join(cwd, "served"), "parity-merged");
      expect(result.code, result.stderr + server.log()).toBe(0);
      expect(result.serving).toMatchObject({ agreement: 1, cases: 8, disagreements: [] });
    } finally {
      server.stop();
    }
  });

  it("a server that serves the base instead (the adapter silently lost) fails parity: exit 1, the differences listed", async () => {
    const server = await transformersServe(env.PIPELINE_PYTHON!, join(root, "models/tiny"));
    try {
      const result = evalAgainst(server.url, join(root, "models/tiny"), "parity-base");
      expect(result.code).toBe(1);
      expect(result.serving!.agreement).toBeLessThan(1);
      const first = result.serving!.disagreements[0]!;
      expect(first.served.trim()).not.toBe(first.pipeline.trim());
    } finally {
      server.stop();
    }
  });

  it("an endpoint that does not answer is exit 1 naming the URL, no stack trace", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = evalAgainst(url, "none", "parity-none");
    expect(result.code, result.stderr).toBe(1);
    // --json: the error too is one JSON object on stdout.
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe("endpoint-unreachable");
    expect(error.message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v1\/completions cannot be reached \(connect ECONNREFUSED/,
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

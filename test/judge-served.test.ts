import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeMessages } from "../src/eval/scorers/judge-prompt.js";
import { ensurePython } from "../src/launch/index.js";
import { pipeline, root, tinyEvalArgs } from "./helpers/cli.js";
import { onlyRun, trainingWorkspace } from "./helpers/run-workspace.js";
import { transformersServe } from "./helpers/transformers-serve.js";

// The LLM judge against a real OpenAI-compatible server (transformers serve), not the scripted contract server:
// the pipeline trains its own tiny judge (SFT on the judge's real prompts, always answering {"score": 8}),
// exports it merged, serves it, and `pipeline eval` grades with it. The scripted server still covers what a real
// model cannot be made to do on cue (429s, malformed replies, timeouts): test/judge-contract.test.ts.
const RUBRIC = "Is the response the JSON the prompt asks for?";

function quickstart(file: string): { prompt: string; answer: string }[] {
  return readFileSync(join(root, "datasets/quickstart", file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [user, answer] = (JSON.parse(line) as { messages: { content: string }[] }).messages;
      return { prompt: user!.content, answer: answer!.content };
    });
}

/** Judge prompts as the scorer sends them, for right and wrong responses, each answered with the verdict. */
function judgeRows(): string {
  return quickstart("train.jsonl")
    .slice(0, 128)
    .map(({ prompt, answer }, i) => {
      const input = { index: i, prompt, reference: answer, output: i % 2 ? answer : answer.toUpperCase() };
      const messages = [...judgeMessages(RUBRIC, { ...input, latency_s: 0, new_tokens: 0 })];
      return JSON.stringify({ messages: [...messages, { role: "assistant", content: '{"score": 8}' }] });
    })
    .join("\n");
}

describe("llm_judge against a real OpenAI-compatible server (transformers serve of a judge the pipeline trained)", () => {
  it("grades every case through the real server's chat completions", async () => {
    const env = { ...process.env, CI: "1", OMP_NUM_THREADS: "1", PIPELINE_PYTHON: await ensurePython() };
    const training = { max_steps: 200, learning_rate: 0.01, max_seq_len: 768 };
    const cwd = await trainingWorkspace(training, { train: 1, eval: 1 });
    writeFileSync(join(cwd, "data/train.jsonl"), judgeRows() + "\n");
    const config = join(cwd, "configs/run.yaml");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace("    eval_path: ../data/eval.jsonl\n", "    eval_split: 0\n"),
    );
    const trained = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
    expect(trained.code, trained.stderr).toBe(0);
    const run = onlyRun(join(cwd, "runs"));
    const exported = pipeline(["export", run.id, "--runs-dir", "runs", "--merge", "-o", "judge"], {
      cwd,
      env,
    });
    expect(exported.code, exported.stderr).toBe(0);

    const cases = quickstart("eval.jsonl").slice(0, 4);
    writeFileSync(
      join(cwd, "cases.jsonl"),
      cases.map((c) => JSON.stringify({ prompt: c.prompt, reference: c.answer })).join("\n"),
    );
    // Served by a relative name: a path-like name is refused at suite load (the inference client reads it as a URL).
    const server = await transformersServe(env.PIPELINE_PYTHON, "judge", cwd);
    try {
      const suite = [
        "name: judged",
        "cases: cases.jsonl",
        "generate: { max_new_tokens: 24, batch_size: 4 }",
        "scorers:",
        `  - llm_judge: { endpoint: "${server.url}", model: judge, rubric: "${RUBRIC}", max_tokens: 16 }`,
      ];
      writeFileSync(join(cwd, "judged.yaml"), suite.join("\n") + "\n");
      const args = tinyEvalArgs(join(run.dir, "adapter"), "judged.yaml");
      const result = pipeline([...args, "--out", "judged", "--json"], { cwd, env });
      expect(result.code, result.stderr + server.log()).toBe(0);
      const [suiteResult] = (
        JSON.parse(result.stdout) as { suites: { metrics: Record<string, unknown>[] }[] }
      ).suites;
      // Every case of both models graded 8/10 by the served judge: what it was trained to say.
      expect(suiteResult!.metrics[0]).toMatchObject({ metric: "llm_judge", n: 4, base: 0.8, adapter: 0.8 });
      // The server's access log, once this process has read it (the eval ran synchronously): 4 cases × 2 models.
      const answered = () => server.log().match(/POST \/v1\/chat\/completions HTTP\/1\.1" 200/g)?.length ?? 0;
      for (let i = 0; i < 50 && answered() < 8; i++) await new Promise((r) => setTimeout(r, 100));
      expect(answered(), server.log().slice(-3000)).toBe(8);
    } finally {
      server.stop();
    }
  }, 600_000);
});

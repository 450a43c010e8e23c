import { afterEach, describe, expect, it } from "vitest";
import { PipelineError } from "../src/errors/index.js";
import { llmJudge } from "../src/eval/scorers/judge.js";
import type { ScorerInput } from "../src/eval/types.js";
import {
  chatCompletion,
  startFakeChatServer,
  verdict,
  type Answer,
  type FakeChatServer,
} from "./helpers/fake-chat-server.js";

/**
 * Contract test of the `llm_judge` scorer: no hosted endpoint is reachable here, so the judge talks through
 * the real `@huggingface/inference` client to a local server that speaks the same OpenAI-compatible protocol.
 */
const TOKEN = "test-token-5f1d9c2e";
const RUBRIC = "Award 10 when the answer names the capital correctly, 1 when it does not.";
const CASE: ScorerInput = {
  index: 7,
  prompt: "What is the capital of France?",
  reference: "Paris",
  output: "The capital is Paris.",
  latency_s: 0.1,
  new_tokens: 5,
};

let server: FakeChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function judgeAgainst(answers: (n: number) => Answer, options: Record<string, unknown> = {}) {
  server = await startFakeChatServer((_request, n) => answers(n));
  const parsed = llmJudge.options.parse({
    rubric: RUBRIC,
    endpoint: server.url,
    token_env: "JUDGE_TOKEN",
    ...options,
  });
  return llmJudge.create(parsed, { suiteFile: "suite.yaml", env: { JUDGE_TOKEN: TOKEN } });
}

async function failure(promise: unknown): Promise<PipelineError> {
  const error: unknown = await Promise.resolve(promise).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

describe("llm_judge against an OpenAI-compatible endpoint (contract test)", () => {
  it("posts the rubric, the case and a structured-output request to <endpoint>/v1/chat/completions", async () => {
    const score = await judgeAgainst(() => verdict(8, "names Paris"), { model: "judge-model" });
    await expect(score(CASE)).resolves.toBe(0.8);

    const [request] = server!.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = request!.body;
    expect(body.model).toBe("judge-model");
    expect(body.temperature).toBe(0);
    expect(body.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(body.messages[0]?.content).toContain(RUBRIC);
    for (const text of [CASE.prompt, CASE.reference, CASE.output])
      expect(body.messages[1]?.content).toContain(text);
    expect(body.response_format?.type).toBe("json_schema");
    expect(body.response_format?.json_schema?.schema).toMatchObject({ required: ["score", "reason"] });
  });

  it("accepts a base URL ending in /v1, and can leave response_format out", async () => {
    server = await startFakeChatServer(() => chatCompletion('Verdict: {"score": 3, "reason": "wrong city"}'));
    const options = llmJudge.options.parse({
      rubric: RUBRIC,
      endpoint: `${server.url}/v1/`,
      response_format: "none",
    });
    const score = llmJudge.create(options, { suiteFile: "suite.yaml", env: {} });
    await expect(score(CASE)).resolves.toBe(0.3);
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.body.response_format).toBeUndefined();
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("retries a 503 and a 429 (honouring Retry-After: 0) and then scores", async () => {
    const score = await judgeAgainst((n) =>
      n === 1
        ? { status: 503, body: { error: "Model is loading" } }
        : n === 2
          ? { status: 429, headers: { "retry-after": "0" }, body: { error: "Rate limited" } }
          : verdict(10),
    );
    await expect(score(CASE)).resolves.toBe(1);
    expect(server!.requests).toHaveLength(3);
  });

  it("asks again after a malformed verdict", async () => {
    const score = await judgeAgainst((n) =>
      n === 1 ? chatCompletion("I would say about seven.") : verdict(7),
    );
    await expect(score(CASE)).resolves.toBe(0.7);
    expect(server!.requests).toHaveLength(2);
  });

  it("asks again after a reply that is not a chat completion", async () => {
    const score = await judgeAgainst((n) => (n === 1 ? { raw: "<html>oops" } : verdict(9)));
    await expect(score(CASE)).resolves.toBe(0.9);
    expect(server!.requests).toHaveLength(2);
  });

  it("fails clearly, without crashing, when the verdict is malformed twice", async () => {
    const score = await judgeAgainst(() => chatCompletion('{"score": 42, "reason": "off the scale"}'));
    const error = await failure(score(CASE));
    expect(error.code).toBe("judge-verdict-invalid");
    expect(error.message).toMatch(
      /^LLM judge, case 7: endpoint http:\/\/127\.0\.0\.1:\d+ gave no valid verdict in 2 tries: score: /,
    );
    expect(server!.requests).toHaveLength(2);
  });

  it("fails fast on 401, naming the endpoint and status but never the token", async () => {
    // The server echoes the credentials it refused, as some do: the message must still not show them.
    const score = await judgeAgainst(() => ({
      status: 401,
      body: { error: `Invalid credentials: Bearer ${TOKEN}` },
    }));
    const error = await failure(score(CASE));
    expect(server!.requests).toHaveLength(1);
    expect(error.code).toBe("judge-rejected");
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`endpoint ${server!.url} answered HTTP 401`);
    expect(error.hint).toContain("token_env");
    expect(error.cause).toBeUndefined();
    expect(`${error.message} ${error.hint} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it("gives up after max_retries when the endpoint stays down (even with an empty JSON error body)", async () => {
    const score = await judgeAgainst(() => ({ status: 502, headers: { "retry-after": "0" } }), {
      max_retries: 2,
    });
    const error = await failure(score(CASE));
    expect(error.code).toBe("judge-unavailable");
    expect(error.message).toMatch(/answered HTTP 502.*gave up after 3 attempts/);
    expect(server!.requests).toHaveLength(3);
  });

  it("retries, then reports, an endpoint that cannot be reached", async () => {
    const closed = await startFakeChatServer(() => verdict(5));
    await closed.close();
    const options = llmJudge.options.parse({ rubric: RUBRIC, endpoint: closed.url, max_retries: 1 });
    const error = await failure(llmJudge.create(options, { suiteFile: "suite.yaml", env: {} })(CASE));
    expect(error.code).toBe("judge-unavailable");
    expect(error.message).toBe(
      `LLM judge, case 7: endpoint ${closed.url} could not be reached (ECONNREFUSED) (gave up after 2 attempts)`,
    );
  });

  it("times out a request that gets no answer", async () => {
    const score = await judgeAgainst(() => ({ ...verdict(5), delayMs: 2000 }), {
      timeout_s: 0.2,
      max_retries: 0,
    });
    const error = await failure(score(CASE));
    expect(error.message).toContain("did not answer within 0.2 s");
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const score = await judgeAgainst(() => ({ ...verdict(6), delayMs: 30 }), { concurrency: 2 });
    const scores = await Promise.all(Array.from({ length: 8 }, (_, index) => score({ ...CASE, index })));
    expect(scores).toEqual(Array.from({ length: 8 }, () => 0.6));
    expect(server!.peakInFlight).toBe(2);
  });

  it("needs the token for Hugging Face Inference Providers, and says which variable", () => {
    const options = llmJudge.options.parse({ rubric: RUBRIC, model: "meta-llama/Llama-3.1-8B-Instruct" });
    expect(() => llmJudge.create(options, { suiteFile: "suite.yaml", env: {} })).toThrow(
      "HF_TOKEN is not set",
    );
  });
});

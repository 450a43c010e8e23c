import { describe, expect, it } from "vitest";
import { judgeOptions } from "./judge-options.js";

const messages = (input: unknown) => {
  const parsed = judgeOptions.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("judgeOptions", () => {
  it("fills the defaults", () => {
    expect(judgeOptions.parse({ rubric: "Is it correct?", endpoint: "http://127.0.0.1:8080" })).toEqual({
      rubric: "Is it correct?",
      endpoint: "http://127.0.0.1:8080",
      token_env: "HF_TOKEN",
      max_retries: 4,
      timeout_s: 60,
      temperature: 0,
      max_tokens: 512,
      concurrency: 4,
      response_format: "json_schema",
    });
  });
  it("refuses a token written in the suite, and unknown keys", () => {
    expect(messages({ rubric: "r", model: "m", token: "hf_x" })).toEqual([
      expect.stringContaining('"token"'),
    ]);
  });
  it("needs a rubric, and a model when there is no endpoint", () => {
    expect(messages({ rubric: " " })).toEqual([
      expect.stringMatching(/^rubric: /),
      "model: a judge `model` is required when no `endpoint` is given",
    ]);
  });
  it("refuses a model named like a path or URL, which the inference client takes for a model URL", () => {
    // Seen against a real `transformers serve /dir`: the client threw "Model URLs are no longer supported".
    const endpoint = "http://127.0.0.1:8000";
    for (const model of ["/models/judge", "https://host/judge"]) {
      expect(messages({ rubric: "ok?", endpoint, model })).toEqual([
        expect.stringMatching(/^model: model ".*" starts like a path or URL.*--served-model-name/),
      ]);
    }
    expect(messages({ rubric: "ok?", endpoint, model: "models/judge" })).toEqual([]);
  });
  it("keeps endpoint and provider apart, and knows the providers", () => {
    expect(messages({ rubric: "r", endpoint: "http://h:1", provider: "groq" })).toEqual([
      expect.stringMatching(/^provider: `provider` applies to Hugging Face Inference Providers only/),
    ]);
    expect(messages({ rubric: "r", model: "m", provider: "groq" })).toEqual([]);
    expect(messages({ rubric: "r", model: "m", provider: "grok" })).toEqual([
      expect.stringMatching(/^provider: /),
    ]);
  });
  it("checks the endpoint URL and the variable name", () => {
    expect(messages({ rubric: "r", endpoint: "ftp://h", token_env: "MY-TOKEN" })).toHaveLength(2);
  });
});

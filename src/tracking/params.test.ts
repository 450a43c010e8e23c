import { describe, expect, it } from "vitest";
import { RunConfig } from "../config/index.js";
import { configParams } from "./params.js";

describe("configParams", () => {
  it("flattens the resolved config and redacts every planted secret", () => {
    const config = RunConfig.parse({
      base_model: "builtin:tiny",
      datasets: [{ path: "train.jsonl", template: "chatml" }],
      checkpoints: { s3: { endpoint: "http://user:pa55word-planted@127.0.0.1:9000/?token=q-planted" } },
      output: { name: "run-with-hf_planted_token_value" },
      tracking: { mlflow: { uri: "http://127.0.0.1:5000", experiment: "exp" } },
    });
    const params = configParams(config, { HF_TOKEN: "hf_planted_token_value", PATH: "/usr/bin" });
    const text = JSON.stringify(params);
    for (const secret of ["pa55word-planted", "q-planted", "hf_planted_token_value"])
      expect(text).not.toContain(secret);
    expect(params["checkpoints.s3.endpoint"]).toBe("http://[redacted]@127.0.0.1:9000/?[redacted]");
    expect(params["output.name"]).toBe("run-with-[redacted]");
    expect(params["training.learning_rate"]).toBe("0.0002");
    expect(params["eval.generate.max_new_tokens"]).toBe("128");
    expect(params["lora.target_modules"]).toBe('["q_proj","k_proj","v_proj","o_proj"]');
    expect(params["tracking.mlflow.uri"]).toBe("http://127.0.0.1:5000");
    expect(params["datasets"]).toContain("train.jsonl");
  });

  it("redacts a value under a secret-named key and cuts overlong values", () => {
    const params = configParams({ judge: { api_key: "abc", note: "x".repeat(7000) } }, {});
    expect(params["judge.api_key"]).toBe("[redacted]");
    expect(params["judge.note"]).toHaveLength(6000);
  });
});

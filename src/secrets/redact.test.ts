import { describe, expect, it } from "vitest";
import { REDACTED, isSecretName, redactText, secretValues } from "./index.js";

describe("secret names", () => {
  it("are whole words of a name", () => {
    for (const name of [
      "HF_TOKEN",
      "AWS_SECRET_ACCESS_KEY",
      "WANDB_API_KEY",
      "MLFLOW_TRACKING_PASSWORD",
      "webhook",
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ["max_new_tokens", "tokens_per_s", "author", "PATH", "HOME"]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe("redactText", () => {
  it("removes secret values of the environment and URL credentials", () => {
    const secrets = secretValues({ HF_TOKEN: "hf_abcdefgh", PATH: "/usr/bin", SHORT_TOKEN: "abc" });
    expect(secrets).toEqual(["hf_abcdefgh"]);
    expect(redactText("a hf_abcdefgh b", secrets)).toBe(`a ${REDACTED} b`);
    expect(redactText("http://me:pw@host:9/x?token=1#f", [])).toBe(
      `http://${REDACTED}@host:9/x?${REDACTED}#f`,
    );
    expect(redactText("http://host:9/path", [])).toBe("http://host:9/path");
  });
});

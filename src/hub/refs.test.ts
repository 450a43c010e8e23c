import { describe, expect, it } from "vitest";
import type { ListFileEntry } from "@huggingface/hub";
import { snapshotRepoFolder } from "./cache-layout.js";
import { parseDatasetUri } from "./dataset-uri.js";
import { parseModelRef, repoFolderName } from "./model-ref.js";
import { trainingFiles } from "./select-files.js";

describe("parseModelRef", () => {
  it("reads org/name with an optional revision and rejects what the Hub would", () => {
    expect(parseModelRef("meta-llama/Llama-3.1-8B-Instruct")).toEqual({
      type: "model",
      id: "meta-llama/Llama-3.1-8B-Instruct",
      revision: "main",
    });
    expect(parseModelRef("org/name@refs/pr/3")?.revision).toBe("refs/pr/3");
    for (const bad of ["gpt2", "org/name/extra", "org/-name", "org/na me", "./org/name", "org/na..me", ""]) {
      expect(parseModelRef(bad), bad).toBeUndefined();
    }
    expect(repoFolderName({ type: "model", id: "org/name" })).toBe("models--org--name");
  });
});

describe("parseDatasetUri", () => {
  it("takes the revision after the name (HfFileSystem) or after the path", () => {
    expect(parseDatasetUri("hf://datasets/org/set/data/train.jsonl")).toEqual({
      ref: { type: "dataset", id: "org/set", revision: "main" },
      path: "data/train.jsonl",
    });
    expect(parseDatasetUri("hf://datasets/org/set@v1/train.parquet").ref.revision).toBe("v1");
    expect(parseDatasetUri("hf://datasets/org/set/train.parquet@abc").ref.revision).toBe("abc");
  });

  it("refuses other shapes with the form to use", () => {
    for (const bad of ["hf://models/org/m/x.json", "hf://datasets/org", "hf://datasets/org/set@a/x.json@b"]) {
      expect(() => parseDatasetUri(bad), bad).toThrow(/is not a Hub dataset path/);
    }
  });
});

describe("trainingFiles", () => {
  const entry = (path: string): ListFileEntry => ({ type: "file", path, size: 1, oid: "x" });
  it("keeps config, tokenizer, template and one weight format at the top level", () => {
    const needed = [
      "config.json",
      "generation_config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "special_tokens_map.json",
      "chat_template.jinja",
      "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors",
      "model.safetensors.index.json",
    ];
    const others = [
      "pytorch_model.bin",
      "original/consolidated.00.pth",
      "original/tokenizer.model",
      "README.md",
      "LICENSE",
      "onnx/model.onnx",
    ];
    expect(trainingFiles([...needed, ...others].map(entry)).map((f) => f.path)).toEqual(needed);
  });

  it("falls back to the .bin weights only when there is no safetensors", () => {
    const repo = [
      "config.json",
      "pytorch_model-00001-of-00002.bin",
      "pytorch_model.bin.index.json",
      "x.bin",
    ].map(entry);
    expect(trainingFiles(repo).map((f) => f.path)).toEqual([
      "config.json",
      "pytorch_model-00001-of-00002.bin",
      "pytorch_model.bin.index.json",
    ]);
  });
});

describe("snapshotRepoFolder", () => {
  it("finds the repo folder of a cache snapshot, and nothing for other folders", () => {
    const sha = "a".repeat(40);
    expect(snapshotRepoFolder(`/c/hub/models--o--n/snapshots/${sha}`)).toBe("/c/hub/models--o--n");
    expect(snapshotRepoFolder(`/c/hub/o/snapshots/${sha}`)).toBeUndefined();
    expect(snapshotRepoFolder("/home/me/models/llama")).toBeUndefined();
  });
});

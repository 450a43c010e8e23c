import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDirPaths } from "../../run-dir/index.js";
import { stateFiles } from "./uploads.js";

describe("the run state put in the store", () => {
  it("carries the run's copy of its init adapter, so a resume elsewhere loads the same reference", () => {
    const paths = runDirPaths(mkdtempSync(join(tmpdir(), "state-")));
    mkdirSync(paths.initAdapter);
    for (const file of [paths.record, paths.spec, join(paths.initAdapter, "adapter_config.json")])
      writeFileSync(file, "{}");
    writeFileSync(join(paths.initAdapter, "adapter_model.safetensors"), "weights");
    expect(stateFiles(paths).sort()).toEqual([
      "init-adapter/adapter_config.json",
      "init-adapter/adapter_model.safetensors",
      "run.json",
      "spec.json",
    ]);
  });
});

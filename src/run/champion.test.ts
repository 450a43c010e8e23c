import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunConfig } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import { createRunDir, runPaths, writeRecord } from "../run-dir/index.js";
import { resolveChampion } from "./champion.js";

const config = (compare_to?: string) =>
  RunConfig.parse({
    base_model: "builtin:tiny",
    datasets: [{ path: "d.jsonl" }],
    eval: compare_to === undefined ? {} : { compare_to },
  });

function adapterIn(dir: string, files = ["adapter_config.json", "adapter_model.safetensors"]) {
  mkdirSync(dir, { recursive: true });
  for (const name of files) writeFileSync(join(dir, name), "{}");
  return dir;
}

async function runOn(runsDir: string, id: string, baseModel: string) {
  const paths = runPaths(runsDir, id);
  await createRunDir(paths);
  const now = new Date().toISOString();
  await writeRecord(paths, {
    id,
    config: "c.yaml",
    configHash: "h",
    status: "done",
    createdAt: now,
    updatedAt: now,
    baseModel,
    runtime: "local",
  });
  return paths;
}

describe("resolveChampion", () => {
  const work = () => mkdtempSync(join(tmpdir(), "champion-"));

  it("is nothing without eval.compare_to", async () => {
    expect(await resolveChampion(config(), "c.yaml", "runs")).toBeUndefined();
  });

  it("finds an adapter directory relative to the config file", async () => {
    const dir = work();
    adapterIn(join(dir, "adapters/v1"));
    const found = await resolveChampion(
      config("../adapters/v1"),
      join(dir, "configs/run.yaml"),
      join(dir, "runs"),
    );
    expect(found).toEqual({ source: "../adapters/v1", adapter: join(dir, "adapters/v1") });
  });

  it("refuses a directory that is not an adapter, naming what it lacks", async () => {
    const dir = work();
    adapterIn(join(dir, "half"), ["adapter_config.json"]);
    const found = resolveChampion(config("half"), join(dir, "run.yaml"), join(dir, "runs"));
    await expect(found).rejects.toBeInstanceOf(UsageError);
    await expect(found).rejects.toThrow(
      /eval\.compare_to: .*half is not a PEFT adapter \(no adapter_model\.safetensors\)/,
    );
  });

  it("refuses a run on another base model, and a run without a complete adapter", async () => {
    const runs = join(work(), "runs");
    await runOn(runs, "other-base", "org/another-model");
    await expect(resolveChampion(config("other-base"), "c.yaml", runs)).rejects.toThrow(
      /run other-base trained on org\/another-model, this config on builtin:tiny/,
    );
    const paths = await runOn(runs, "no-manifest", "builtin:tiny");
    adapterIn(paths.adapter); // the files, but no manifest: an upload or a save that never finished
    await expect(resolveChampion(config("no-manifest"), "c.yaml", runs)).rejects.toThrow(
      /run no-manifest has no complete adapter/,
    );
  });
});

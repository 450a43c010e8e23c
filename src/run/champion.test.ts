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

const LORA = { peft_type: "LORA", r: 4, lora_alpha: 8, target_modules: ["q_proj"] };

function adapterIn(dir: string, files = ["adapter_config.json", "adapter_model.safetensors"]) {
  mkdirSync(dir, { recursive: true });
  for (const name of files)
    writeFileSync(join(dir, name), name.endsWith(".json") ? JSON.stringify(LORA) : "");
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

// The lookup is training.init_adapter's (src/run/init-adapter/find.test.ts has the rest); these check that
// eval.compare_to goes through it and that its messages name eval.compare_to.
describe("resolveChampion", () => {
  const work = () => mkdtempSync(join(tmpdir(), "champion-"));

  it("is nothing without eval.compare_to", async () => {
    expect(await resolveChampion(config(), "runs")).toBeUndefined();
  });

  it("finds an adapter directory (a path; config loading made it absolute)", async () => {
    const dir = adapterIn(join(work(), "adapters/v1"));
    expect(await resolveChampion(config(dir), "runs")).toEqual({ source: dir, adapter: dir });
  });

  it("refuses a directory that is not an adapter, naming the setting and what it lacks", async () => {
    const dir = adapterIn(join(work(), "half"), ["adapter_config.json"]);
    const found = resolveChampion(config(dir), "runs");
    await expect(found).rejects.toBeInstanceOf(UsageError);
    await expect(found).rejects.toMatchObject({ code: "champion-not-adapter" });
    await expect(found).rejects.toThrow(
      /eval\.compare_to: .*half is not a LoRA adapter: it has no adapter_model/,
    );
  });

  it("refuses a missing run, a run on another base and a run whose adapter does not verify", async () => {
    const runs = join(work(), "runs");
    await expect(resolveChampion(config("nowhere"), runs)).rejects.toThrow(
      /eval\.compare_to: no run "nowhere"/,
    );
    adapterIn((await runOn(runs, "other-base", "org/another-model")).adapter);
    adapterIn((await runOn(runs, "no-manifest", "builtin:tiny")).adapter); // files, but no manifest
    await expect(resolveChampion(config("no-manifest"), runs)).rejects.toThrow(
      /eval\.compare_to: run no-manifest is not a LoRA adapter: .*does not verify/,
    );
    await expect(resolveChampion(config("other-base"), runs)).rejects.toMatchObject({
      code: "champion-not-adapter",
    });
  });
});

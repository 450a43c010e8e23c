import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace } from "./helpers/cli.js";
import {
  ALICE,
  BOB,
  GATED,
  PRIVATE,
  TINY,
  hubEnv,
  hubWorkspace,
  startTestHub,
} from "./helpers/hub-fixtures.js";
import type { HubServer } from "./helpers/hub-server.js";
import { onlyRun } from "./helpers/run-workspace.js";
import { filesUnder, pipelineAsync, python } from "./helpers/hub-cache.js";

// Contract tests: a Hub-compatible server on loopback (test/helpers/hub-server.ts) stands in for the hosted
// Hub, which cannot be reached here; the trainer, transformers and the cache are the real ones.
let hub: HubServer;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

const tinyCache = (home: string) => join(home, "hub", `models--${TINY.replace("/", "--")}`);

describe("base models from the Hub (contract tests against a loopback Hub)", () => {
  it("trains and evaluates a hub model with template: model from an empty cache; a second run downloads nothing", async () => {
    const cwd = await hubWorkspace(TINY);
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const env = hubEnv(hub, home, ALICE);
    const first = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs-1"], { cwd, env });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const sha = readFileSync(join(tinyCache(home), "refs/main"), "utf8");
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    // Only what training needs: no duplicate .bin, no original/ tree, no README.
    expect(readdirSync(join(tinyCache(home), "snapshots", sha)).sort()).toEqual([
      "chat_template.jinja",
      "config.json",
      "generation_config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    const run = onlyRun(join(cwd, "runs-1"));
    const record = JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(record).toMatchObject({ status: "done", baseModel: TINY, baseModelRevision: sha });
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ base_model: TINY, base_model_revision: sha });
    expect(readFileSync(join(run.dir, "report.md"), "utf8")).toContain(sha);
    // The model's own chat template formatted the data (the tiny model's template, not chatml's).
    const spec = JSON.parse(readFileSync(join(run.dir, "spec.json"), "utf8")) as { base_model: string };
    expect(spec.base_model).toBe(join(tinyCache(home), "snapshots", sha));
    // The token is in no file of the run directory and in no output.
    for (const file of filesUnder(run.dir)) expect(readFileSync(file).includes(ALICE), file).toBe(false);
    expect(first.stdout + first.stderr).not.toContain(ALICE);

    const served = hub.bytesServed();
    const second = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs-2"], { cwd, env });
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(hub.bytesServed()).toBe(served);
    expect(second.stdout + second.stderr).toMatch(/0 B downloaded/);
  });

  it("refuses gated, missing and private models and a wrong revision with exit 2 before formatting", async () => {
    const cases: { model: string; token?: string; message: RegExp; hint: RegExp }[] = [
      {
        model: GATED,
        message: /is gated/,
        hint: new RegExp(`accept the terms at ${hub.url}/${GATED}.*HF_TOKEN`),
      },
      { model: GATED, token: BOB, message: /is gated/, hint: /has no access yet: accept the terms/ },
      {
        model: "pipeline-test/no-such-model",
        token: ALICE,
        message: /no such model pipeline-test\/no-such-model/,
        hint: /check the id/,
      },
      { model: PRIVATE, message: /no such model/, hint: /set HF_TOKEN/ },
      { model: `${TINY}@v9`, message: /has no revision "v9"/, hint: /branch, a tag or a full commit sha/ },
    ];
    for (const c of cases) {
      const cwd = await hubWorkspace(c.model);
      const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
      const result = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs"], {
        cwd,
        env: hubEnv(hub, home, c.token),
      });
      const output = result.stderr + result.stdout;
      expect(result.code, output).toBe(2);
      expect(output).toMatch(c.message);
      expect(output).toMatch(c.hint);
      expect(hasStackTrace(output)).toBe(false);
      // Nothing was formatted (the data stage comes after the base model) and nothing was downloaded.
      const runs = existsSync(join(cwd, "runs")) ? readdirSync(join(cwd, "runs")) : [];
      for (const id of runs) expect(existsSync(join(cwd, "runs", id, "data/train.jsonl"))).toBe(false);
      expect(existsSync(join(home, "hub"))).toBe(false);
    }
  });

  it("pulls a gated model with a token that has access, at a tag, and transformers loads it offline", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const result = await pipelineAsync(["model", "pull", `${GATED}`, "--json"], {
      env: hubEnv(hub, home, ALICE),
    });
    expect(result.code, result.stderr).toBe(0);
    const pulled = JSON.parse(result.stdout) as { sha: string; dir: string; license: string; files: number };
    expect(pulled).toMatchObject({ license: "llama3.1", files: 6 });
    const tag = await pipelineAsync(["model", "pull", `${TINY}@v1`, "--json"], { env: hubEnv(hub, home) });
    expect(tag.code, tag.stderr).toBe(0);
    const v1 = JSON.parse(tag.stdout) as { sha: string };
    expect(readFileSync(join(tinyCache(home), "refs/v1"), "utf8")).toBe(v1.sha);
    const load = python(
      [
        "from transformers import AutoModelForCausalLM, AutoTokenizer",
        `m = AutoModelForCausalLM.from_pretrained("${TINY}", revision="v1")`,
        `t = AutoTokenizer.from_pretrained("${GATED}")`,
        "print(m.num_parameters(), bool(t.chat_template))",
      ],
      { HF_HOME: home, HF_HUB_OFFLINE: "1" },
    );
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout.trim()).toMatch(/^\d+ True$/);
  });

  it("refuses a base_model that is neither a directory nor a hub id (exit 2)", async () => {
    const cwd = await hubWorkspace("nomodel");
    const result = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs"], {
      cwd,
      env: hubEnv(hub, cwd),
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/base_model nomodel is neither a model directory nor a hub id/);
    expect(result.stderr).toMatch(/org\/name\[@revision\]/);
  });

  it("config validate --preflight shows the commit, license, parameter count and a memory estimate", async () => {
    const cwd = await hubWorkspace(TINY);
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    const result = await pipelineAsync(["config", "validate", "configs/run.yaml", "--preflight"], {
      cwd,
      env: hubEnv(hub, home),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`hub model\\s+${TINY}@main → [0-9a-f]{40}`));
    expect(result.stdout).toMatch(/license\s+apache-2\.0/);
    expect(result.stdout).toMatch(/parameters\s+787,072 \(F32\)/);
    expect(result.stdout).toMatch(/gpu memory\s+~\d+\.\d GiB without gradient checkpointing/);
    // Nothing downloaded but the headers.
    expect(existsSync(join(home, "hub"))).toBe(false);
  });
});

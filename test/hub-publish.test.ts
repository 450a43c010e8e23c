import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace } from "./helpers/cli.js";
import { filesUnder, pipelineAsync, pythonAsync } from "./helpers/hub-cache.js";
import { ALICE, TINY, hubEnv, hubWorkspace, startTestHub } from "./helpers/hub-fixtures.js";
import type { HubServer } from "./helpers/hub-server.js";
import { onlyRun } from "./helpers/run-workspace.js";
import { startS3, type S3Fixture } from "./helpers/s3-server.js";

// Contract tests of publishing against the loopback Hub's upload endpoints (create repo, preupload, LFS
// batch + PUT, NDJSON commit); the adapter is trained for real on the hub copy of the tiny model.
let hub: HubServer;
let home: string;
let s3: S3Fixture;
beforeAll(async () => {
  hub = await startTestHub();
  home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
  s3 = await startS3();
});
afterAll(async () => {
  await hub.close();
  await s3?.close();
});

const ADAPTER = "alice/tiny-chat-json";

async function hubRun(gate: string, publish?: string, more = "") {
  const extra =
    `  gates:\n    heldout/loss: "${gate}"\n` + (publish ? `publish:\n  repo: ${publish}\n` : "") + more;
  const cwd = await hubWorkspace(TINY, extra);
  const result = await pipelineAsync(["run", "configs/run.yaml", "--runs-dir", "runs"], {
    cwd,
    env: { ...hubEnv(hub, home, ALICE), ...s3.env },
  });
  return { cwd, result, run: onlyRun(join(cwd, "runs")) };
}

const commits = (id: string) => hub.repos.get(`model:${id}`)?.commits.length ?? 0;

describe("pipeline publish (contract tests against a loopback Hub)", () => {
  let passed: Awaited<ReturnType<typeof hubRun>>;

  it("a passing run with a publish: block creates the repo with the adapter and its model card", async () => {
    hub.faults.push({
      match: (req) => req.url!.includes("/commit/"),
      status: 503,
      retryAfter: "1",
      times: 1,
    });
    passed = await hubRun(">= 0", ADAPTER);
    expect(passed.result.code, passed.result.stderr + passed.result.stdout).toBe(0);
    expect(passed.result.stderr).toContain(`published the adapter and model card to ${hub.url}/${ADAPTER}`);
    expect(hub.faults[0]!.times, "the 503 on commit was retried").toBe(0);
    const repo = hub.repos.get(`model:${ADAPTER}`)!;
    const head = repo.commits.at(-1)!;
    expect([...head.files.keys()].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "adapter_config.json",
      "adapter_model.safetensors",
    ]);
    expect(head.files.get("adapter_model.safetensors")!.lfs).toMatch(/^[0-9a-f]{64}$/);

    const card = head.files.get("README.md")!.bytes!.toString();
    const [, front, body] = card.split(/^---$/m);
    const meta = parse(front!) as Record<string, unknown>;
    const sha = readFileSync(join(home, "hub", `models--${TINY.replace("/", "--")}`, "refs/main"), "utf8");
    expect(meta).toMatchObject({
      base_model: TINY,
      library_name: "peft",
      license: "apache-2.0",
      pipeline_tag: "text-generation",
      tags: expect.arrayContaining(["peft", "lora", `base_model:adapter:${TINY}`]),
    });
    const index = meta["model-index"] as {
      name: string;
      results: { dataset: { name: string }; metrics: { type: string; value: number }[] }[];
    }[];
    expect(index[0]!.name).toBe("tiny-chat-json");
    expect(index[0]!.results[0]!.dataset.name).toBe("heldout");
    expect(index[0]!.results[0]!.metrics.map((m) => m.type)).toEqual(
      expect.arrayContaining(["exact_match", "loss"]),
    );
    expect(body).toContain(`revision \`${sha}\``);
    expect(body).toMatch(
      /\| heldout \| exact_match \| 8 \| [\d.]+ \| [\d.]+ \| -?[\d.]+ \| \[-?[\d.]+, -?[\d.]+\] \| [\d.]+ \|/,
    );
    expect(body).toMatch(/data sha256 \| train `[0-9a-f]{64}`/);
    expect(body).toContain(`PeftModel.from_pretrained(base, "${ADAPTER}")`);
    expect(body).toContain(`--lora-modules tiny-chat-json=./tiny-chat-json`);
    // The token went only into request headers: not in the repo, the card, the run directory or the output.
    for (const file of head.files.values()) expect(file.bytes?.includes(ALICE)).toBe(false);
    for (const file of filesUnder(passed.run.dir))
      expect(readFileSync(file).includes(ALICE), file).toBe(false);
    expect(passed.result.stdout + passed.result.stderr).not.toContain(ALICE);
  });

  it("publishing the same run again makes no commit", async () => {
    const before = commits(ADAPTER);
    const again = await pipelineAsync(["publish", passed.run.id, "--repo", ADAPTER, "--runs-dir", "runs"], {
      cwd: passed.cwd,
      env: hubEnv(hub, home, ALICE),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already holds this adapter and card: nothing to commit");
    expect(commits(ADAPTER)).toBe(before);
  });

  it("the adapter downloaded back from the Hub loads with plain peft", async () => {
    const load = await pythonAsync(
      [
        "import torch",
        "from huggingface_hub import snapshot_download",
        "from transformers import AutoModelForCausalLM",
        "from peft import PeftModel",
        `path = snapshot_download("${ADAPTER}")`,
        `base = AutoModelForCausalLM.from_pretrained("${TINY}")`,
        "model = PeftModel.from_pretrained(base, path)",
        "out = model(torch.tensor([[1, 2, 3]]))",
        "print(type(model).__name__, tuple(out.logits.shape)[:2])",
      ],
      { HF_ENDPOINT: hub.url, HF_HOME: home, HF_TOKEN: ALICE },
    );
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout.trim()).toBe("PeftModelForCausalLM (1, 3)");
  });

  it("a run whose gates failed is not published, and publish refuses it unless --force (here from its s3:// store)", async () => {
    const store = `checkpoints:\n  store: s3://${s3.bucket}/hub-publish\n  s3:\n    endpoint: ${s3.endpoint}\n`;
    const failed = await hubRun("<= -1", "alice/never", store);
    expect(failed.result.code).toBe(1);
    expect(failed.result.stderr).toContain(
      "not published to alice/never: the run did not pass (gates-failed)",
    );
    expect(hub.repos.has("model:alice/never")).toBe(false);
    const args = ["publish", failed.run.id, "--repo", "alice/forced", "--runs-dir", "runs"];
    const refused = await pipelineAsync(args, { cwd: failed.cwd, env: hubEnv(hub, home, ALICE) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/did not pass \(gates-failed\); nothing was published/);
    expect(refused.stderr).toMatch(/--force/);
    expect(hasStackTrace(refused.stderr)).toBe(false);
    // From the checkpoint store alone: state/, adapter/ and report/ are pulled and verified.
    const uri = `s3://${s3.bucket}/hub-publish/${failed.run.id}`;
    const fromStore = [
      "publish",
      uri,
      "--repo",
      "alice/forced",
      "--endpoint",
      s3.endpoint,
      "--force",
      "--private",
    ];
    const forced = await pipelineAsync(fromStore, {
      cwd: failed.cwd,
      env: { ...hubEnv(hub, home, ALICE), ...s3.env },
    });
    expect(forced.code, forced.stderr).toBe(0);
    const repo = hub.repos.get("model:alice/forced")!;
    expect(repo).toMatchObject({ private: true });
    const card = repo.commits.at(-1)!.files.get("README.md")!.bytes!.toString();
    expect(card).toContain(`run \`${failed.run.id}\``);
    expect(card).toMatch(/heldout\/loss <= -1 failed/);
  });

  it("refuses to publish without a token (exit 2) and names HF_TOKEN", async () => {
    const result = await pipelineAsync(["publish", passed.run.id, "--repo", ADAPTER, "--runs-dir", "runs"], {
      cwd: passed.cwd,
      env: hubEnv(hub, home),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a Hugging Face token with write access/);
    expect(result.stderr).toMatch(/HF_TOKEN/);
  });
});

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, root } from "./helpers/cli.js";
import { TINY, hubEnv, startTestHub } from "./helpers/hub-fixtures.js";
import type { HubServer } from "./helpers/hub-server.js";
import { pipelineAsync, python } from "./helpers/hub-cache.js";

// Contract tests of the download against the loopback Hub: interrupted, corrupted, retried, out of disk.
let hub: HubServer;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());
afterEach(() => {
  hub.throttle = undefined;
  hub.corrupt.clear();
  hub.faults.length = 0;
});

const storage = (home: string) => join(home, "hub", `models--${TINY.replace("/", "--")}`);
const blobs = (home: string) =>
  existsSync(join(storage(home), "blobs")) ? readdirSync(join(storage(home), "blobs")) : [];
const weightsBlob = (home: string) => blobs(home).find((name) => /^[0-9a-f]{64}$/.test(name));

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Loads the pulled model with transformers, offline, from the cache: the proof that nothing is corrupt. */
function loadsOffline(home: string) {
  const load = python(
    [
      "from transformers import AutoModelForCausalLM",
      `m = AutoModelForCausalLM.from_pretrained("${TINY}")`,
      "print(m.num_parameters())",
    ],
    { HF_HOME: home, HF_HUB_OFFLINE: "1" },
  );
  expect(load.code, load.stderr).toBe(0);
}

describe("downloads into the Hugging Face cache (contract tests against a loopback Hub)", () => {
  it("resumes a download killed half way and never counts the partial file as complete", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    hub.throttle = 1_000_000; // the 3 MB weights take ~3 s: time to kill the pull mid-file
    const child = spawn(process.execPath, [join(root, "bin/pipeline.js"), "model", "pull", TINY], {
      env: hubEnv(hub, home),
      stdio: "ignore",
    });
    const partial = () => blobs(home).find((name) => name.endsWith(".incomplete"));
    await until(() => {
      const name = partial();
      return name !== undefined && statSync(join(storage(home), "blobs", name)).size > 500_000;
    }, "half the weights");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const kept = statSync(join(storage(home), "blobs", partial()!)).size;
    // Killed: the weights exist only as .incomplete, and the snapshot has no entry that points at them.
    expect(weightsBlob(home)).toBeUndefined();
    const snapshots = join(storage(home), "snapshots");
    const linked = existsSync(snapshots)
      ? readdirSync(snapshots).flatMap((sha) => readdirSync(join(snapshots, sha)))
      : [];
    expect(linked).not.toContain("model.safetensors");
    const offline = python(
      ["from transformers import AutoModelForCausalLM", `AutoModelForCausalLM.from_pretrained("${TINY}")`],
      { HF_HOME: home, HF_HUB_OFFLINE: "1" },
    );
    expect(offline.code).not.toBe(0);

    hub.throttle = undefined;
    const before = hub.requests.length;
    const rerun = await pipelineAsync(["model", "pull", TINY], { env: hubEnv(hub, home) });
    expect(rerun.code, rerun.stderr).toBe(0);
    const ranged = hub.requests.slice(before).filter((r) => r.url.endsWith("/model.safetensors") && r.range);
    expect(ranged.map((r) => r.range)).toContain(`bytes=${kept}-`);
    expect(weightsBlob(home)).toBeDefined();
    expect(blobs(home).some((name) => name.endsWith(".incomplete"))).toBe(false);
    loadsOffline(home);
  });

  it("discards bytes that do not match the Hub's etag and keeps nothing of them", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    hub.corrupt.add("model.safetensors");
    const result = await pipelineAsync(["model", "pull", TINY], { env: hubEnv(hub, home) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /downloaded model\.safetensors does not match the Hub \(its sha256 is [0-9a-f]{64}, the Hub says [0-9a-f]{64}\); it was discarded/,
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(weightsBlob(home)).toBeUndefined();
    expect(blobs(home).some((name) => name.endsWith(".incomplete"))).toBe(false);
    hub.corrupt.clear();
    expect((await pipelineAsync(["model", "pull", TINY], { env: hubEnv(hub, home) })).code).toBe(0);
    loadsOffline(home);
  });

  it("retries 503 and 429 answers, waiting as Retry-After asks", async () => {
    const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
    hub.faults.push(
      { match: (req) => req.url!.includes("/revision/"), status: 503, retryAfter: "1", times: 2 },
      { match: (req) => req.url!.endsWith("/config.json"), status: 429, retryAfter: "1", times: 1 },
    );
    const started = Date.now();
    const result = await pipelineAsync(["model", "pull", TINY], { env: hubEnv(hub, home) });
    expect(result.code, result.stderr).toBe(0);
    expect(hub.faults.every((fault) => fault.times === 0)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  describe("a full disk (a small tmpfs as the cache)", () => {
    const mounts: string[] = [];
    afterAll(() => {
      for (const dir of mounts) spawnSync("umount", [dir]);
    });
    async function smallDisk(bytes: number): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), "pipeline-small-disk-"));
      const mount = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], {
        encoding: "utf8",
      });
      if (mount.status !== 0) throw new Error(`this test mounts a tmpfs (it needs root): ${mount.stderr}`);
      mounts.push(dir);
      return dir;
    }

    it("refuses up front when the model cannot fit (exit 2), writing nothing", async () => {
      const home = await smallDisk(2 * 1024 * 1024);
      const result = await pipelineAsync(["model", "pull", TINY], { env: hubEnv(hub, home) });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/the model needs 3\.21 MB more in .*, but only 2\.\d+ MB is free/);
      expect(result.stderr).toMatch(/HF_HUB_CACHE \(or HF_HOME\)/);
      expect(blobs(home)).toEqual([]);
    });

    it("stops with a clear error when the disk fills during the download; the partial file never counts", async () => {
      const home = await smallDisk(4 * 1024 * 1024);
      hub.throttle = 1_000_000;
      const child = spawn(process.execPath, [join(root, "bin/pipeline.js"), "model", "pull", TINY], {
        env: hubEnv(hub, home),
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // The weights' own partial file (its blob is named by the sha256), not a small file fetched beside it.
      await until(
        () => blobs(home).some((name) => /^[0-9a-f]{64}\.incomplete$/.test(name)),
        "the weights to start",
      );
      // Something else takes the rest of the disk while the weights are coming in.
      await mkdir(join(home, "other"));
      await writeFile(join(home, "other", "filler"), Buffer.alloc(4 * 1024 * 1024)).catch(() => {});
      const code = await new Promise((r) => child.once("exit", r));
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(
        // The weights or a small file fetched beside them: whichever was being written when the disk filled.
        /the disk is full: downloading \S+ \([\d.]+ [kM]B\) stopped in .*\.incomplete/,
      );
      expect(stderr).toMatch(/free space there, or set HF_HUB_CACHE/);
      expect(hasStackTrace(stderr)).toBe(false);
      expect(weightsBlob(home)).toBeUndefined();
    });
  });
});

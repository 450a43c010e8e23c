import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../src/checkpoints/index.js";
import { pipeline, root } from "./helpers/cli.js";
import { readEvents, trainingWorkspace } from "./helpers/run-workspace.js";
import { startS3, type S3Fixture } from "./helpers/s3-server.js";

// Checkpoints tracked to a real S3 server on loopback (scripts/s3-server.sh), through the built binary.
let s3: S3Fixture;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

const storeSets = (prefix: string) => [
  "--set",
  `checkpoints.store=s3://${s3.bucket}/${prefix}`,
  "--set",
  `checkpoints.s3.endpoint=${s3.endpoint}`,
];
const onlyRun = (runsDir: string) => {
  const runs = readdirSync(runsDir);
  expect(runs).toHaveLength(1);
  return { id: runs[0]!, dir: join(runsDir, runs[0]!) };
};
const steps = (text: string) =>
  [...text.matchAll(/^step\s+(\d+)\s+\S+ MB\s+(\S+)/gm)].map((m) => [Number(m[1]), m[2]]);

describe("checkpoints in an s3:// store (real S3 server on loopback)", () => {
  let cwd: string;
  let run: { id: string; dir: string };

  it("a run ends with every checkpoint and the adapter in the bucket, manifests verified", async () => {
    cwd = await trainingWorkspace(
      { max_steps: 6, logging_steps: 2, save_steps: 2, eval_steps: 6 },
      { train: 96, eval: 4 },
    );
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", ...storeSets("team/runs")], {
      cwd,
      env: { ...s3.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    run = onlyRun(join(cwd, "runs"));
    expect(result.stdout).toMatch(
      /uploaded\s+4\/4 to the store .*checkpoint step 2, checkpoint step 4, checkpoint step 6, adapter/,
    );

    const listed = pipeline(["checkpoints", "list", run.id, "--runs-dir", "runs"], { cwd, env: s3.env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(steps(listed.stdout)).toEqual([
      [6, "complete"],
      [4, "complete"],
      [2, "complete"],
    ]);
    const verified = pipeline(["checkpoints", "verify", run.id, "--runs-dir", "runs"], { cwd, env: s3.env });
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
    expect(verified.stdout).toContain("verified 3 checkpoint(s)");

    // The adapter, byte for byte what the trainer wrote, under the run's key; and the same by bare URI.
    const store = s3.store();
    const adapter = await store.verify(`team/runs/${run.id}/adapter`);
    expect(adapter.ok).toBe(true);
    if (adapter.ok) {
      const local = join(run.dir, "adapter/adapter_model.safetensors");
      const entry = adapter.manifest.files.find((f) => f.path === "adapter_model.safetensors")!;
      expect(entry.sha256).toBe(await sha256File(local));
    }
    store.destroy();
    const byUri = pipeline(
      ["checkpoints", "list", `s3://${s3.bucket}/team/runs/${run.id}`, "--endpoint", s3.endpoint],
      { cwd, env: s3.env },
    );
    expect(steps(byUri.stdout), byUri.stderr).toEqual([
      [6, "complete"],
      [4, "complete"],
      [2, "complete"],
    ]);
  });

  it("a flipped byte in a stored object fails verify (exit 1, naming the file) and resume skips it", async () => {
    const store = s3.store();
    const key = `team/runs/${run.id}/checkpoints/step-000006/optimizer.pt`;
    const got = await store.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    bytes[bytes.length >> 1]! ^= 0x01;
    await store.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes }));
    store.destroy();

    const verified = pipeline(["checkpoints", "verify", run.id, "--runs-dir", "runs"], { cwd, env: s3.env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/step\s+6 .*MISMATCH: optimizer\.pt does not match its sha256/);
    expect(verified.stdout).toMatch(/step\s+4 .* ok/);

    // A machine that lost its local checkpoints: resume pulls from the store, skipping the corrupt newest.
    await rm(join(run.dir, "checkpoints"), { recursive: true });
    await mkdir(join(run.dir, "checkpoints"));
    const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], {
      cwd,
      env: { ...s3.env, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stderr).toMatch(
      /warning: stored checkpoint step 6 is corrupt \(optimizer\.pt does not match its sha256\)/,
    );
    const starts = readEvents(run.dir).filter((e) => e.type === "start");
    expect(starts.at(-1)).toMatchObject({ start_step: 4 });

    const pulled = join(cwd, "pulled");
    const pull = pipeline(
      ["checkpoints", "pull", run.id, "--runs-dir", "runs", "--step", "4", "-o", pulled],
      { cwd, env: s3.env },
    );
    expect(pull.code, pull.stderr).toBe(0);
    expect(readdirSync(pulled)).toEqual(expect.arrayContaining(["adapter", "optimizer.pt", "manifest.json"]));
  });

  it("the store going away during training: training goes on, uploads retry and catch up", async () => {
    const ws = await trainingWorkspace(
      { max_steps: 24, logging_steps: 2, save_steps: 4, eval_steps: 24 },
      { train: 256, eval: 4 },
    );
    const child = spawn(
      process.execPath,
      [
        join(root, "bin/pipeline.js"),
        "run",
        "configs/run.yaml",
        "--runs-dir",
        "runs",
        ...storeSets("outage"),
      ],
      { cwd: ws, env: { ...s3.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const checkpointsSeen = () => {
      const runs = existsSync(join(ws, "runs")) ? readdirSync(join(ws, "runs")) : [];
      if (runs.length === 0 || !existsSync(join(ws, "runs", runs[0]!, "events.jsonl"))) return [];
      return readEvents(join(ws, "runs", runs[0]!)).filter((e) => e.type === "checkpoint");
    };
    const waitFor = async (n: number) => {
      while (checkpointsSeen().length < n && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(1);
    await s3.down();
    const before = checkpointsSeen().length;
    await waitFor(before + 2); // training carries on while nothing can reach the store
    const during = checkpointsSeen().length - before;
    await s3.up();
    expect(await exited, output).toBe(0);
    expect(during).toBeGreaterThanOrEqual(2);
    const { id } = onlyRun(join(ws, "runs"));
    expect(output).toMatch(/uploaded\s+7\/7 to the store/);
    const verified = pipeline(["checkpoints", "verify", id, "--runs-dir", "runs"], { cwd: ws, env: s3.env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("verified 6 checkpoint(s)");
  });

  it("an uploader killed during a multipart upload leaves nothing that counts as a checkpoint; prune aborts its parts", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "ckpt-")), "step-000010");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "optimizer.pt"), randomBytes(160 * 1024 * 1024));
    const files = [
      { path: "optimizer.pt", size: 160 * 1024 * 1024, sha256: await sha256File(join(dir, "optimizer.pt")) },
    ];
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ version: 1, step: 10, files }));
    const key = "killed/run-1/checkpoints/step-000010";
    // node itself with tsx's loader (not the tsx wrapper), so SIGKILL hits the process that uploads.
    const fixture = join(root, "test/fixtures/upload-folder.ts");
    const child = spawn(process.execPath, ["--import", "tsx", fixture, dir, s3.bucket, key, s3.endpoint], {
      cwd: root,
      env: s3.env,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("close", resolve));
    const store = s3.store();
    const inFlight = () => store.listUploads("killed");
    while ((await inFlight()).length === 0 && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    expect(await inFlight()).toHaveLength(1);

    const uri = `s3://${s3.bucket}/killed/run-1`;
    const args = ["--endpoint", s3.endpoint];
    const listed = pipeline(["checkpoints", "list", uri, ...args], { env: s3.env });
    expect(listed.stdout).not.toMatch(/complete$/m);
    const pull = pipeline(["checkpoints", "pull", uri, ...args, "-o", join(dir, "..", "out")], {
      env: s3.env,
    });
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain("no complete, verified checkpoint");
    const pruned = pipeline(["checkpoints", "prune", uri, ...args, "--stale-minutes", "0"], { env: s3.env });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`aborted an unfinished multipart upload of ${key}/optimizer.pt`);
    expect(await inFlight()).toHaveLength(0);
    store.destroy();
  });
});

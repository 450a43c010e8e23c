import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../src/checkpoints/index.js";
import { pipeline, root } from "./helpers/cli.js";
import { readEvents, trainingWorkspace, waitForStep } from "./helpers/run-workspace.js";
import { freePort } from "./helpers/net.js";
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
  [...text.matchAll(/^step\s+(\d+)\s+\S+ MB\s+eval_loss \S+\s+(\S+)/gm)].map((m) => [Number(m[1]), m[2]]);

describe("checkpoints in an s3:// store (real S3 server on loopback)", () => {
  let cwd: string;
  let run: { id: string; dir: string };

  it("a run ends with every checkpoint, the adapter, the report and the run state in the bucket, manifests verified", async () => {
    cwd = await trainingWorkspace(
      { max_steps: 6, logging_steps: 2, save_steps: 2, eval_steps: 2 },
      { train: 96, eval: 4 },
    );
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", ...storeSets("team/runs")], {
      cwd,
      env: { ...s3.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    run = onlyRun(join(cwd, "runs"));
    expect(result.stdout).toMatch(
      /uploaded\s+6\/6 to the store .*run state, checkpoint step 2, checkpoint step 4, checkpoint step 6, adapter, report/,
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
    // Each checkpoint's manifest records the eval loss measured at its step (the trainer's eval events).
    const evals = new Map(
      readEvents(run.dir).flatMap((e) => (e.type === "eval" ? [[e.step, e.eval_loss]] : [])),
    );
    for (const step of [2, 4, 6])
      expect(listed.stdout).toMatch(
        new RegExp(`step\\s+${step} .*eval_loss ${(evals.get(step) as number).toFixed(4)}\\s+complete`),
      );

    // The adapter, byte for byte what the trainer wrote, under the run's key; and the same by bare URI.
    const store = s3.store();
    const adapter = await store.verify(`team/runs/${run.id}/adapter`);
    expect(adapter.ok).toBe(true);
    if (adapter.ok) {
      const local = join(run.dir, "adapter/adapter_model.safetensors");
      const entry = adapter.manifest.files.find((f) => f.path === "adapter_model.safetensors")!;
      expect(entry.sha256).toBe(await sha256File(local));
    }
    // The report and what a resume elsewhere needs, each under its own manifest.
    const report = await store.verify(`team/runs/${run.id}/report`);
    expect(report.ok && report.manifest.files.map((f) => f.path).sort()).toEqual([
      "report.html",
      "report.json",
      "report.md",
    ]);
    const state = await store.verify(`team/runs/${run.id}/state`);
    expect(state.ok && state.manifest.files.map((f) => f.path).sort()).toEqual([
      "config.resolved.yaml",
      "data/eval.jsonl",
      "data/train.jsonl",
      "run.json",
      "spec.json",
    ]);
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

  it("a run stopped while its end waits for a tracking server has already stored its report", async () => {
    const ws = await trainingWorkspace(
      { max_steps: 2, logging_steps: 1, save_steps: 2, eval_steps: 2 },
      {
        train: 32,
        eval: 4,
      },
    );
    // Nothing listens on the port: MLflow never answers, so the run's end waits for it (5 s) and is stopped there.
    const port = await freePort();
    appendFileSync(
      join(ws, "configs/run.yaml"),
      `tracking:\n  mlflow: { uri: "http://127.0.0.1:${port}" }\n`,
    );
    const run = startRun(ws, storeSets("waiting"));
    while (!/MLflow at \S+ does not answer yet/.test(run.output()) && run.child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(null);
    expect(run.child.signalCode).toBe("SIGTERM");
    const output = run.output();
    const { id } = onlyRun(join(ws, "runs"));
    // The summary came before the wait, and the report is in the bucket, verified.
    const summary = output.search(/uploaded\s+4\/4 to the store .*adapter, report/);
    expect(summary, output).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(output.indexOf("does not answer yet"));
    const report = await s3.store().verify(`waiting/${id}/report`);
    expect(report.ok && report.manifest.files.map((f) => f.path).sort()).toEqual([
      "report.html",
      "report.json",
      "report.md",
    ]);
  });

  it("a flipped byte in a stored object fails verify (exit 1, naming the file) and resume skips it", async () => {
    await flipByte(`team/runs/${run.id}/checkpoints/step-000006/optimizer.pt`);

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

  it("a flipped byte in the stored adapter, run state or report fails verify (exit 1, naming the file) and pull --folder", async () => {
    const base = `team/runs/${run.id}`;
    const good = join(cwd, "pulled-report");
    const pulled = pipeline(
      ["checkpoints", "pull", run.id, "--runs-dir", "runs", "--folder", "report", "-o", good],
      {
        cwd,
        env: s3.env,
      },
    );
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readdirSync(good).sort()).toEqual(["manifest.json", "report.html", "report.json", "report.md"]);

    for (const file of ["adapter/adapter_model.safetensors", "state/run.json", "report/report.json"])
      await flipByte(`${base}/${file}`);
    const verified = pipeline(["checkpoints", "verify", run.id, "--runs-dir", "runs"], { cwd, env: s3.env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(1);
    expect(verified.stdout).toMatch(
      /^adapter\s+MISMATCH: adapter_model\.safetensors does not match its sha256$/m,
    );
    expect(verified.stdout).toMatch(/^state\s+MISMATCH: run\.json does not match its sha256$/m);
    expect(verified.stdout).toMatch(/^report\s+MISMATCH: report\.json does not match its sha256$/m);
    expect(verified.stderr).toContain(
      `s3://${s3.bucket}/${base}/adapter: adapter_model.safetensors does not match its sha256`,
    );
    // The same through the run's URI, on a machine without its run directory.
    const byUri = pipeline(
      ["checkpoints", "verify", `s3://${s3.bucket}/${base}`, "--endpoint", s3.endpoint],
      {
        env: s3.env,
      },
    );
    expect(byUri.code).toBe(1);
    expect(byUri.stdout).toMatch(/^adapter\s+MISMATCH/m);

    const out = join(cwd, "pulled-adapter");
    const pull = pipeline(
      ["checkpoints", "pull", run.id, "--runs-dir", "runs", "--folder", "adapter", "-o", out],
      {
        cwd,
        env: s3.env,
      },
    );
    expect(pull.code).toBe(1);
    expect(pull.stderr).toMatch(
      /adapter is not a complete, verified copy: adapter_model\.safetensors does not match/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("the store going away during training: training goes on, uploads retry and catch up", async () => {
    const ws = await trainingWorkspace(
      { max_steps: 24, logging_steps: 2, save_steps: 4, eval_steps: 4 },
      { train: 256, eval: 4 },
    );
    const run = startRun(ws, [
      ...storeSets("outage"),
      // Retention while uploading: the newest 2, and never the best by the metric (max: the worst loss,
      // so the best one is an old checkpoint that keep_last alone would prune).
      ...["--set", "checkpoints.keep_last=2", "--set", "checkpoints.keep_best.metric=eval_loss"],
      ...["--set", "checkpoints.keep_best.mode=max"],
    ]);
    const checkpointsSeen = () => {
      const runs = existsSync(join(ws, "runs")) ? readdirSync(join(ws, "runs")) : [];
      if (runs.length === 0 || !existsSync(join(ws, "runs", runs[0]!, "events.jsonl"))) return [];
      return readEvents(join(ws, "runs", runs[0]!)).filter((e) => e.type === "checkpoint");
    };
    const waitFor = async (n: number) => {
      while (checkpointsSeen().length < n && run.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(1);
    await s3.down();
    const before = checkpointsSeen().length;
    await waitFor(before + 2); // training carries on while nothing can reach the store
    const during = checkpointsSeen().length - before;
    await s3.up();
    expect(await run.exited, run.output()).toBe(0);
    const output = run.output();
    expect(during).toBeGreaterThanOrEqual(2);
    const { id } = onlyRun(join(ws, "runs"));
    expect(output).toMatch(/uploaded\s+9\/9 to the store/);
    const verified = pipeline(["checkpoints", "verify", id, "--runs-dir", "runs"], { cwd: ws, env: s3.env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const events = readEvents(join(ws, "runs", id));
    const loss = new Map(
      events.flatMap((e) => (e.type === "eval" ? [[e.step as number, e.eval_loss as number]] : [])),
    );
    const saved = events.filter((e) => e.type === "checkpoint").map((e) => e.step as number);
    const worst = saved.reduce((a, b) => (loss.get(b)! > loss.get(a)! ? b : a));
    const kept = [...new Set([24, 20, worst])].sort((a, b) => b - a);
    const listed = pipeline(["checkpoints", "list", id, "--runs-dir", "runs"], { cwd: ws, env: s3.env });
    expect(steps(listed.stdout)).toEqual(kept.map((step) => [step, "complete"]));
    expect(listed.stdout).toMatch(new RegExp(`step\\s+${worst} .*complete  \\(best\\)`));
  });

  it("a fresh machine with only the S3 URI: the run directory is recreated from the store and resumes", async () => {
    const ws = await trainingWorkspace(
      { max_steps: 200, logging_steps: 1, save_steps: 100, eval_steps: 200 },
      { train: 512, eval: 4 },
    );
    const run = startRun(ws, [...storeSets("fresh"), "--set", "checkpoints.s3.path_style=true"]);
    await waitForStep(join(ws, "runs"), 3);
    run.child.kill("SIGTERM"); // the trainer saves a checkpoint; the uploader drains before the exit
    expect(await run.exited, run.output()).toBe(130);
    const { id } = onlyRun(join(ws, "runs"));
    await rm(ws, { recursive: true }); // nothing of the first machine is left

    const elsewhere = await mkdtemp(join(tmpdir(), "fresh-machine-"));
    const resumed = pipeline(["run", "--resume", `s3://${s3.bucket}/fresh/${id}`, "--runs-dir", "runs"], {
      cwd: elsewhere,
      env: { ...s3.env, CI: "1", AWS_ENDPOINT_URL: s3.endpoint },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stderr).toContain(`restored run ${id} from s3://${s3.bucket}/fresh/${id}`);
    const dir = join(elsewhere, "runs", id);
    const events = readEvents(dir);
    const start = events.find((e) => e.type === "start")!;
    expect(start.start_step as number).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 200 } });
    expect(existsSync(join(dir, "adapter/adapter_model.safetensors"))).toBe(true);
  });

  it("the trainer SIGKILLed during a checkpoint save: no half checkpoint counts, locally or in the bucket", async () => {
    const ws = await trainingWorkspace(
      { max_steps: 12, logging_steps: 1, save_steps: 4, eval_steps: 12 },
      { train: 256, eval: 4 },
    );
    // Every save pauses 4 s before its manifest: the window in which the trainer is killed.
    const run = startRun(ws, storeSets("killed-save"), { PIPELINE_TEST_SLOW_SAVE_S: "4" });
    const runsDir = join(ws, "runs");
    const tmpSave = () => {
      const runs = existsSync(runsDir) ? readdirSync(runsDir) : [];
      const dir = runs[0] && join(runsDir, runs[0], "checkpoints");
      return dir && existsSync(dir) && readdirSync(dir).includes(".tmp-step-000008");
    };
    while (!tmpSave() && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const { id, dir } = onlyRun(runsDir);
    const pids = trainerPids(join(dir, "spec.json"));
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, "SIGKILL");
    expect(await run.exited, run.output()).toBe(1);

    expect(readdirSync(join(dir, "checkpoints")).sort()).toEqual([".tmp-step-000008", "step-000004"]);
    const listed = pipeline(["checkpoints", "list", id, "--runs-dir", "runs"], { cwd: ws, env: s3.env });
    expect(steps(listed.stdout)).toEqual([[4, "complete"]]);

    // Resume on a machine that lost its local checkpoints: the store's step 4 is the one used.
    await rm(join(dir, "checkpoints"), { recursive: true });
    await mkdir(join(dir, "checkpoints"));
    const resumed = pipeline(["run", "--resume", id, "--runs-dir", "runs"], {
      cwd: ws,
      env: { ...s3.env, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(
      readEvents(dir)
        .filter((e) => e.type === "start")
        .at(-1),
    ).toMatchObject({ start_step: 4 });
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

/** Flips one bit in the middle of a stored object (same size: only its hash can tell). */
async function flipByte(key: string): Promise<void> {
  const store = s3.store();
  const got = await store.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  bytes[bytes.length >> 1]! ^= 0x01;
  await store.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes }));
  store.destroy();
}

/** `pipeline run configs/run.yaml` in the background, with its output collected. */
function startRun(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [join(root, "bin/pipeline.js"), "run", "configs/run.yaml", "--runs-dir", "runs", ...args],
    { cwd, env: { ...s3.env, CI: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exited, output: () => output };
}

/** The trainer process (train.py) of the run whose spec is at specPath. */
function trainerPids(specPath: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        return args.some((arg) => arg.endsWith("train.py")) && args.includes(specPath);
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
}

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeline, root } from "./helpers/cli.js";
import { RAY_TOKEN, startRayCluster, type RayCluster } from "./helpers/ray-cluster.js";
import { onlyRun, readEvents, waitForEvent, waitForStep } from "./helpers/run-workspace.js";
import { startS3, type S3Fixture } from "./helpers/s3-server.js";
import { workspace } from "./helpers/workspace.js";

// `runtime: ray` against a real two-node Ray cluster on loopback (head + 2 CPU nodes), MinIO as the store.
let cluster: RayCluster;
let s3: S3Fixture;

beforeAll(async () => {
  [s3, cluster] = await Promise.all([startS3(), startRayCluster(2)]);
});
afterAll(async () => {
  await cluster?.stop();
  await s3?.close();
});

async function rayWorkspace(training: Record<string, number>, workers = 2, evalSplit = 0) {
  const rows = readFileSync(join(root, "datasets/quickstart/train.jsonl"), "utf8").split("\n").slice(0, 128);
  const config = [
    "base_model: builtin:tiny",
    "device: cpu",
    "datasets:",
    "  - path: ../data/train.jsonl",
    "    template: chatml",
    `    eval_split: ${evalSplit}`,
    "eval: { generate: { max_new_tokens: 24, batch_size: 16 } }",
    "lora: { r: 8, alpha: 16, target_modules: all-linear }",
    "training:",
    "  micro_batch_size: 4",
    "  max_seq_len: 128",
    "  precision: fp32",
    "  logging_steps: 1",
    ...Object.entries(training).map(([key, value]) => `  ${key}: ${value}`),
    "runtime:",
    "  type: ray",
    `  address: ${cluster.address}`,
    `  num_workers: ${workers}`,
    "  gpus_per_worker: 0",
    "checkpoints:",
    `  store: s3://${s3.bucket}/runs`,
    `  s3: { endpoint: "${s3.endpoint}" }`,
    "",
  ].join("\n");
  return workspace({
    "configs/run.yaml": config,
    "data/train.jsonl": rows.filter(Boolean).join("\n") + "\n",
  });
}

// Planted: the hub token must reach no Ray API answer and no log (nor must the store's secret key, which the
// job does use: the nodes have no AWS credentials of their own).
const PLANTED = "hf_planted_secret_7c1d9e2f";
const runEnv = () => ({ ...s3.env, HF_TOKEN: PLANTED, RAY_AUTH_TOKEN: RAY_TOKEN, CI: "1" });
const runIds: string[] = [];

describe("pipeline run on a Ray cluster (runtime: ray)", () => {
  it("trains a 2-worker DDP job across the two nodes and evaluates on one; adapter, report and generations verified in the bucket", async () => {
    const cwd = await rayWorkspace({ max_steps: 6, save_steps: 3 }, 2, 0.1);
    const run = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env: runEnv() });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const id = /run-[0-9a-z-]+/.exec(run.stdout + run.stderr)![0];
    runIds.push(id);
    const events = readEvents(join(cwd, "runs", id));
    expect(events[0]).toMatchObject({ type: "start", world_size: 2, global_batch_size: 8 });
    expect(events.filter((e) => e.type === "checkpoint").map((e) => e.path)).toEqual([
      `s3://${s3.bucket}/runs/${id}/checkpoints/step-000003`,
      `s3://${s3.bucket}/runs/${id}/checkpoints/step-000006`,
    ]);

    const store = s3.store("runs");
    const scratch = mkdtempSync(join(tmpdir(), "ray-pull-"));
    for (const folder of ["adapter", "report", "checkpoints/step-000006", "inputs", "eval/heldout/out"]) {
      const verdict = await store.pull(`runs/${id}/${folder}`, join(scratch, folder));
      expect(verdict.ok, `${folder}: ${JSON.stringify(verdict)}`).toBe(true);
    }
    store.destroy();

    const job = JSON.parse(await cluster.get(`/api/jobs/${id}`)) as { status: string };
    expect(job.status).toBe("SUCCEEDED");
    // the evaluation ran on the cluster too: a job of its own on one node, its generations through the store
    expect(JSON.parse(await cluster.get(`/api/jobs/${id}-heldout`))).toMatchObject({ status: "SUCCEEDED" });
    const evalLog = (JSON.parse(await cluster.get(`/api/jobs/${id}-heldout/logs`)) as { logs: string }).logs;
    expect(evalLog).toMatch(/ray_job: generating on 127\.0\.0\.[34]/);
    const record = JSON.parse(readFileSync(join(cwd, "runs", id, "run.json"), "utf8")) as {
      evaluatedOn: string;
    };
    expect(record.evaluatedOn).toBe(`ray 2.60.0 at ${cluster.address}: 1 worker × CPU (a job per suite)`);
    const generations = readFileSync(join(cwd, "runs", id, "eval/heldout/generations.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { base: unknown; adapter: unknown });
    const cases = readFileSync(join(cwd, "runs", id, "eval/heldout/cases.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(generations.length).toBe(cases.length);
    expect(generations.length).toBeGreaterThanOrEqual(10);
    const report = JSON.parse(readFileSync(join(cwd, "runs", id, "report.json"), "utf8")) as object;
    expect(JSON.stringify(report)).toContain("exact_match");
    expect(readFileSync(join(cwd, "runs", id, "trainer.log"), "utf8")).toMatch(
      new RegExp(`\\[${id}-heldout\\] .*ray_job: generating on 127\\.0\\.0\\.`),
    );
    expect(JSON.parse(await cluster.get(`/api/jobs/${id}/logs`)).logs).toContain(
      "2 node(s), rank 0 at 127.0.0.",
    );
    const show = pipeline(["runs", "show", id, "--runs-dir", "runs"], { cwd });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/done/);
    expect(show.stdout).toContain("step        6");
    expect(show.stdout).toContain(`trained on  ray 2.60.0 at ${cluster.address}: 2 worker(s)`);
    expect(show.stdout).toContain(`evaluated on ray 2.60.0 at ${cluster.address}: 1 worker`);
  });

  it("stops on SIGTERM with a checkpoint in the store (job STOPPED); --resume finishes it from that step", async () => {
    const cwd = await rayWorkspace({ max_steps: 120, save_steps: 1000 });
    const child = spawn(
      process.execPath,
      [join(root, "bin/pipeline.js"), "run", "configs/run.yaml", "--runs-dir", "runs"],
      {
        cwd,
        env: runEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 3);
    child.kill("SIGTERM");
    expect(await exited, stderr).toBe(130);
    const { id, dir } = onlyRun(runsDir);
    runIds.push(id);
    const job = JSON.parse(await cluster.get(`/api/jobs/${id}`)) as { status: string };
    expect(job.status).toBe("STOPPED");
    const checkpoint = readEvents(dir).findLast((e) => e.type === "checkpoint");
    expect(checkpoint?.path).toMatch(new RegExp(`^s3://${s3.bucket}/runs/${id}/checkpoints/step-`));
    const step = checkpoint!.step as number;
    expect(step).toBeGreaterThanOrEqual(3);

    const resumed = pipeline(["run", "--resume", id, "--runs-dir", "runs"], { cwd, env: runEnv() });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const starts = readEvents(dir).filter((e) => e.type === "start");
    expect(starts.map((e) => e.start_step)).toEqual([0, step]);
    expect(JSON.parse(await cluster.get(`/api/jobs/${id}.2`))).toMatchObject({ status: "SUCCEEDED" });
    expect(readEvents(dir).findLast((e) => e.type === "done")).toMatchObject({ metrics: { steps: 120 } });
  });

  it("hands no secret to anything a Ray API answer or a Ray log shows", async () => {
    expect(runIds.length).toBeGreaterThan(0);
    const paths = [
      "/api/jobs/",
      "/nodes?view=summary",
      "/api/cluster_status",
      "/api/v0/actors",
      "/api/v0/tasks",
    ];
    for (const id of runIds) paths.push(`/api/jobs/${id}`, `/api/jobs/${id}/logs`);
    const answers = await Promise.all(paths.map((path) => cluster.get(path)));
    expect(answers.join("").length).toBeGreaterThan(1000); // real answers, not empty ones
    expect(answers.join("\n")).toContain(runIds[0]);
    const files = cluster.files();
    expect([...files.values()].some((text) => text.includes("ray_job: 2 node(s)"))).toBe(true);
    for (const secret of [PLANTED, s3.env.AWS_SECRET_ACCESS_KEY!]) {
      expect(paths.filter((_, i) => answers[i]!.includes(secret))).toEqual([]);
      expect([...files.keys()].filter((path) => files.get(path)!.includes(secret))).toEqual([]);
    }
  });

  // Last: it takes a node away from the cluster.
  it("a job whose node dies (kill -9 of its raylet) is a lost attempt; the queue resumes it on the other node", async () => {
    const cwd = await rayWorkspace({ max_steps: 60, save_steps: 4 }, 1);
    const db = join(cwd, "state.db");
    const env = { ...runEnv(), PIPELINE_RETRY_BASE_MS: "100" };
    expect(
      pipeline(["queue", "add", "configs/run.yaml", "--db", db, "--max-retries", "2"], { cwd, env }).code,
    ).toBe(0);
    const bin = join(root, "bin/pipeline.js");
    const args = ["worker", "--ray", cluster.address, "--poll-ms", "200", "--db", db, "--runs-dir", "runs"];
    const worker = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    worker.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on("exit", resolve));
    const runsDir = join(cwd, "runs");
    await waitForEvent(runsDir, (e) => e.type === "checkpoint");
    const { id, dir } = onlyRun(runsDir);
    const first = JSON.parse(await cluster.get(`/api/jobs/${id}/logs`)) as { logs: string };
    const lost = /rank 0 at (127\.0\.0\.\d+)/.exec(first.logs)![1]!;
    cluster.killRaylet(lost);

    const state = () =>
      (new DatabaseSync(db).prepare("SELECT state FROM jobs").get() as { state: string }).state;
    for (let i = 0; i < 600 && !["done", "failed"].includes(state()); i++) await sleep(500);
    worker.kill("SIGTERM");
    expect(await exited, log).toBe(130);
    expect(state(), log).toBe("done");
    const attempts = new DatabaseSync(db)
      .prepare("SELECT outcome, device_type FROM attempts ORDER BY n")
      .all();
    expect(attempts).toEqual([
      { outcome: "lost", device_type: "cpu" },
      { outcome: "done", device_type: "cpu" },
    ]);
    expect(JSON.parse(await cluster.get(`/api/jobs/${id}`))).toMatchObject({ status: "FAILED" });
    const retry = JSON.parse(await cluster.get(`/api/jobs/${id}.2/logs`)) as { logs: string };
    expect(/rank 0 at (127\.0\.0\.\d+)/.exec(retry.logs)![1]).not.toBe(lost);
    const starts = readEvents(dir).filter((e) => e.type === "start");
    expect(starts).toHaveLength(2);
    expect(starts[1]!.start_step).toBeGreaterThan(0);
    expect(readEvents(dir).findLast((e) => e.type === "done")).toMatchObject({ metrics: { steps: 60 } });
  });
});

import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAttempts, openDb } from "../src/queue/index.js";
import { hasStackTrace, type CliResult } from "./helpers/cli.js";
import {
  checkpointsSeen,
  eventsSoFar,
  faultWorkspace,
  finishPipeline,
  killRuns,
  processWith,
  startPipeline,
  startSteps,
  type Started,
  until,
} from "./helpers/faults.js";
import { freePort } from "./helpers/net.js";
import { crashWorker, killWorkers, queueEnv, startWorker, type JobJson } from "./helpers/queue.js";
import { onlyRun, readEvents } from "./helpers/run-workspace.js";
import { startS3, type S3Fixture } from "./helpers/s3-server.js";
import { fillUp, smallFs, unmountAll } from "./helpers/small-fs.js";

// The fault matrix (README, "Reliability"): a real run — the Python trainer on the tiny model, MinIO as the
// checkpoint store — is killed or starved at each moment that matters, and each case states the outcome the
// user is promised: resumes from step N, restarts from step 0, exit 2 before any work, or a loud exit 1.
let s3: S3Fixture;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  unmountAll();
  await s3?.close();
});
// The cases run side by side (each waits on its runs most of the time): no case may touch another's workers,
// and a case that takes its store down has a store of its own.
afterAll(killWorkers);
// A case runs several tiny trainings in a row; on a machine shared with other work that can take a while.
const LIMIT = 900_000;
const stores: S3Fixture[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});
async function ownStore(): Promise<S3Fixture> {
  const store = await startS3();
  stores.push(store);
  return store;
}

// One thread per process: the runs are tiny, and a few OpenMP threads each on a small shared machine crawl.
const env = () => ({ ...s3.env, CI: "1", OMP_NUM_THREADS: "1" });
const run = (runsDir: string, ...extra: string[]) => [
  "run",
  "configs/run.yaml",
  "--runs-dir",
  runsDir,
  ...extra,
];
const resume = (id: string, runsDir: string) => ["run", "--resume", id, "--runs-dir", runsDir];
const inStore = (prefix: string, endpoint = s3.endpoint, bucket = s3.bucket) => [
  ...["--set", `checkpoints.store=s3://${bucket}/${prefix}`],
  ...["--set", `checkpoints.s3.endpoint=${endpoint}`],
];
const stepReached = (runsDir: string, step: number) =>
  eventsSoFar(runsDir).some((e) => e.type === "step" && (e.step as number) >= step);

function expectClean(result: CliResult, code: number): string {
  const text = result.stdout + result.stderr;
  expect(result.code, text).toBe(code);
  expect(text).not.toMatch(/internal error/);
  expect(hasStackTrace(text), text).toBe(false);
  return text;
}

/** The run resumed to the end: `starts` are the start steps of every attempt, the last one done at `steps`. */
function expectFinished(dir: string, starts: number[], steps: number) {
  expect(startSteps(dir)).toEqual(starts);
  expect(readEvents(dir).at(-1)).toMatchObject({ type: "done", metrics: { steps } });
  expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8"))).toMatchObject({
    status: "done",
    step: steps,
  });
}

describe.concurrent("fault matrix: a local run", { timeout: LIMIT }, () => {
  it("killed before its first checkpoint, during a save and during an upload: each `--resume` continues as promised", async () => {
    const { cwd, runsDir } = await faultWorkspace({ max_steps: 12, logging_steps: 1, save_steps: 4 });
    const own = await ownStore();
    const store = inStore("chain", own.endpoint, own.bucket);
    // Killed at step 2, before its first checkpoint (step 4) …
    const first = startPipeline(cwd, run(runsDir, ...store), env());
    await killAt(first, runsDir, () => stepReached(runsDir, 2));
    const { id, dir } = onlyRun(runsDir);
    // … so it trains again from step 0 (same run id); killed while saving step 8 (each save takes 4 s more) …
    const second = startPipeline(cwd, resume(id, runsDir), { ...env(), PIPELINE_TEST_SLOW_SAVE_S: "4" });
    await killAt(second, runsDir, () => saving(dir, 8));
    expect(second.output()).toContain(`run ${id} has no complete checkpoint: training it again from step 0`);
    // … so it resumes from step 4; the store goes away, and it is killed while step 8's upload is in flight …
    const third = startPipeline(cwd, resume(id, runsDir), env());
    await until(() => startSteps(dir).length === 3 || !third.running());
    await own.down();
    await killAt(third, runsDir, () => checkpointsSeen(runsDir).includes(8));
    await own.up();
    // … so it resumes from its local step 8 and ends, everything it still had to store stored.
    expectClean(await finishPipeline(cwd, resume(id, runsDir), env()), 0);
    expectFinished(dir, [0, 0, 4, 8], 12);
    // Step 8's upload was cut short: it never counts in the store, and nothing there fails verification.
    const verified = await finishPipeline(cwd, ["checkpoints", "verify", id, "--runs-dir", runsDir], s3.env);
    expect(expectClean(verified, 0)).toMatch(/step\s+12 .* ok/);
    expect(verified.stdout).not.toMatch(/step\s+8 .* ok/);
    expect(verified.stdout).toMatch(/^adapter\s+ok$/m);
  });

  it("killed during evaluation, then during the report: each `--resume` continues from the last step and the last ends with the report", async () => {
    const evaluated = { evaluate: true };
    const { cwd, runsDir } = await faultWorkspace(
      { max_steps: 8, logging_steps: 1, save_steps: 4 },
      evaluated,
    );
    const first = startPipeline(cwd, run(runsDir), env());
    await killAt(first, runsDir, () => processWith("generate.py", runsDir));
    const { id, dir } = onlyRun(runsDir);
    // Resumed from step 8, evaluated again, and killed in the report window …
    const pause = { PIPELINE_TEST_PAUSE_BEFORE_REPORT_S: "120" };
    const second = startPipeline(cwd, resume(id, runsDir), { ...env(), ...pause });
    await killAt(second, runsDir, () => second.output().includes("test pause"));
    expect(existsSync(join(dir, "report.json"))).toBe(false);
    // … and the last resume ends it: evaluated and reported.
    const last = await finishPipeline(cwd, resume(id, runsDir), env());
    expect(expectClean(last, 0)).toMatch(/exact match\s+base/);
    expectFinished(dir, [0, 8, 8], 8);
    expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))).toMatchObject({
      outcome: { status: "passed" },
    });
  });

  it("the disk filling up → exit 1 with free space against checkpoint size × kept; once freed, resumes from step 4", async () => {
    const disk = smallFs(48 * 1024 * 1024);
    const runsDir = join(disk.dir, "runs");
    const { cwd } = await faultWorkspace({ max_steps: 16, logging_steps: 1, save_steps: 4 });
    // Before any data is formatted, a local run checks its disk: the default 1g is more than this one has.
    const refused = await finishPipeline(cwd, run(runsDir), env());
    expect(expectClean(refused, 2)).toMatch(
      /error\[disk-full\]: the disk that holds .* has 48 MiB free; this run needs at least 1\.0 GiB/,
    );
    rmSync(runsDir, { recursive: true });
    await appendFile(join(cwd, "configs/run.yaml"), "runtime:\n  type: local\n  min_free_disk: 1m\n");

    const first = startPipeline(cwd, run(runsDir), env());
    await until(() => checkpointsSeen(runsDir).includes(4) || !first.running());
    expect(first.running(), first.output()).toBe(true);
    const filler = fillUp(disk.dir);
    const code = await first.exited;
    const text = first.output();
    expect(code, text).toBe(1);
    expect(text).not.toMatch(/internal error/);
    expect(hasStackTrace(text), text).toBe(false);
    expect(text).toMatch(
      /error\[no-space\]: no space left on the device that holds .*\/checkpoints: \d+ KiB free; a checkpoint of this run takes \d+ [KM]iB × 4 kept = /,
    );
    expect(text).toMatch(/hint: free space on that disk.*pipeline run --resume/);
    rmSync(filler);
    const { id, dir } = onlyRun(runsDir);
    expectClean(await finishPipeline(cwd, resume(id, runsDir), env()), 0);
    expectFinished(dir, [0, 4], 16);
  });
  it("a store that is unreachable, has no such bucket or refuses the credentials → exit 2 before any data is formatted", async () => {
    const { cwd, runsDir } = await faultWorkspace({ max_steps: 4 });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const cases = [
      {
        args: inStore("runs", closed),
        env: env(),
        says: `at ${closed} failed a test write: cannot reach 127.0.0.1`,
      },
      {
        args: inStore("runs", s3.endpoint, "no-such-bucket"),
        env: env(),
        says: "failed a test write: the bucket no-such-bucket does not exist",
      },
      {
        args: inStore("runs"),
        env: { ...env(), AWS_SECRET_ACCESS_KEY: "not-the-secret" },
        says: "failed a test write: the object store refused the credentials",
      },
    ];
    for (const c of cases) {
      const result = await finishPipeline(cwd, run(runsDir, ...c.args), c.env);
      const text = expectClean(result, 2);
      expect(text).toContain(c.says);
      expect(text).toMatch(/nothing was formatted or trained/);
      expect(text).not.toContain("not-the-secret");
    }
    for (const id of readdirSync(runsDir)) {
      expect(readdirSync(join(runsDir, id, "data")), id).toEqual([]);
      expect(existsSync(join(runsDir, id, "events.jsonl"))).toBe(false);
    }
  });

  it("the store going away mid-run → trains to the end but exits 1, saying what was not stored (summary, report.json); `--resume` stores it", async () => {
    const { cwd, runsDir } = await faultWorkspace({ max_steps: 12, logging_steps: 1, save_steps: 4 });
    const own = await ownStore();
    const first = startPipeline(cwd, run(runsDir, ...inStore("outage-end", own.endpoint, own.bucket)), {
      ...env(),
      PIPELINE_S3_RETRY_MAX_S: "2",
    });
    await until(() => checkpointsSeen(runsDir).includes(4) || !first.running());
    await own.down();
    const code = await first.exited;
    await own.up();
    const text = first.output();
    expect(code, text).toBe(1);
    expect(text).toMatch(/NOT uploaded adapter: /);
    expect(text).toMatch(
      /error\[not-stored\]: run \S+: \d+ of \d+ uploads to s3:\/\/\S+ failed \(.*adapter.*\)/,
    );
    const { id, dir } = onlyRun(runsDir);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as {
      outcome: { status: string; message: string };
      store: { not_stored: { what: string }[] };
    };
    expect(report.outcome.status).toBe("not-stored");
    expect(report.store.not_stored.map((n) => n.what)).toContain("adapter");
    const resumed = await finishPipeline(cwd, resume(id, runsDir), env());
    expect(expectClean(resumed, 0)).toMatch(/uploaded\s+3\/3 to the store .*run state, adapter, report/);
  });
});

describe.concurrent(
  "fault matrix: a queued run (the worker's machine dies: worker, run and trainer SIGKILLed at once)",
  { timeout: LIMIT },
  () => {
    it("dies before the job's first checkpoint, during a save and during the report: each next attempt continues as promised, and the job is done", async () => {
      const { cwd, runsDir } = await faultWorkspace({ max_steps: 12, logging_steps: 1, save_steps: 4 });
      const added = await finishPipeline(
        cwd,
        ["queue", "add", "configs/run.yaml", "--max-retries", "3"],
        queueEnv,
      );
      expect(added.code, added.stderr).toBe(0);
      // Dies at step 2, before the first checkpoint …
      await crashAt(cwd, runsDir, {}, () => stepReached(runsDir, 2));
      const dir = onlyRunDir(runsDir);
      // … so attempt 2 trains the same run again from step 0; dies while saving step 8 …
      await crashAt(cwd, runsDir, { PIPELINE_TEST_SLOW_SAVE_S: "4" }, () => saving(dir, 8));
      // … so attempt 3 resumes from step 4, trains to the end and dies in the report window …
      const log = () => readFileSync(join(dir, "worker.log"), "utf8");
      await crashAt(cwd, runsDir, { PIPELINE_TEST_PAUSE_BEFORE_REPORT_S: "120" }, () =>
        log().includes("test pause"),
      );
      expect(existsSync(join(dir, "report.json"))).toBe(false);
      // … so attempt 4 resumes from step 12 and writes the report.
      const last = startWorker(cwd, ["--lease-s", "3", "--poll-ms", "200"], workerEnv());
      let finished: JobJson | undefined;
      for (let i = 0; i < 360 && !finished; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        finished = (await listed(cwd)).find((j) => j.state !== "queued" && j.state !== "running");
      }
      last.child.kill("SIGTERM");
      await last.exited;
      expect(finished, last.stderr()).toMatchObject({ state: "done", outcome: "done", attempts: 4 });
      const db = openDb(join(cwd, ".pipeline/state.db"));
      const attempts = listAttempts(db).map((t) => `${t.outcome}${t.resumed ? " (resumed)" : ""}`);
      db.close();
      expect(attempts).toEqual(["lost", "lost (resumed)", "lost (resumed)", "done (resumed)"]);
      expect(log()).toContain("no complete checkpoint: training it again from step 0");
      expectFinished(dir, [0, 0, 4, 12], 12);
      expect(existsSync(join(dir, "report.json"))).toBe(true);
    });
    it("the store unreachable at the start → the attempt ends invalid (exit 2) naming it; not retried", async () => {
      const { cwd } = await faultWorkspace({ max_steps: 4 });
      const closed = `http://127.0.0.1:${await freePort()}`;
      const config = join(cwd, "configs/run.yaml");
      await appendFile(
        config,
        `checkpoints:\n  store: s3://${s3.bucket}/queued\n  s3:\n    endpoint: ${closed}\n`,
      );
      expect((await finishPipeline(cwd, ["queue", "add", "configs/run.yaml"], queueEnv)).code).toBe(0);
      const worker = startWorker(cwd, ["--once", "--poll-ms", "200"], { ...queueEnv, ...s3.env });
      expect(await worker.exited, worker.stderr()).toBe(0);
      const [job] = await listed(cwd);
      expect(job).toMatchObject({ state: "failed", outcome: "invalid", attempts: 1 });
      expect(job!.message).toContain(`at ${closed} failed a test write: cannot reach 127.0.0.1`);
    });
  },
);

/** `pipeline queue list --json`, without blocking the other cases. */
async function listed(cwd: string): Promise<JobJson[]> {
  return JSON.parse((await finishPipeline(cwd, ["queue", "list", "--json"], queueEnv)).stdout) as JobJson[];
}

/** Waits for `moment` in a run started in the background, then kills it with its trainer (or generation). */
async function killAt(started: Started, runsDir: string, moment: () => boolean): Promise<void> {
  await until(() => moment() || !started.running());
  expect(started.running(), started.output()).toBe(true);
  killRuns(runsDir);
  await started.exited;
}

/** A worker takes the queued job; at `moment` its machine dies (worker, run and trainer SIGKILLed). */
async function crashAt(cwd: string, runsDir: string, extra: NodeJS.ProcessEnv, moment: () => boolean) {
  const worker = startWorker(cwd, ["--lease-s", "3", "--poll-ms", "200"], { ...workerEnv(), ...extra });
  await until(() => moment() || worker.child.exitCode !== null);
  expect(worker.child.exitCode, worker.stderr()).toBeNull();
  await crashWorker(worker, runsDir);
}

const workerEnv = () => ({ ...queueEnv, OMP_NUM_THREADS: "1" });

/** The trainer is writing step's checkpoint (its folder is still .tmp-…, no manifest yet). */
const saving = (dir: string, step: number) =>
  existsSync(join(dir, "checkpoints", `.tmp-step-${String(step).padStart(6, "0")}`));

function onlyRunDir(runsDir: string): string {
  const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
  return join(runsDir, run ?? "none");
}

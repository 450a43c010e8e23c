import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import {
  jobs,
  killWorkers,
  livingRuns,
  queueEnv,
  queueWorkspace,
  startWorker,
  TINY,
  type JobJson,
} from "./helpers/queue.js";
import { readEvents } from "./helpers/run-workspace.js";
import { listAttempts, openDb } from "../src/queue/index.js";

const env = queueEnv;

afterEach(killWorkers);

describe("pipeline queue and workers (CPU, real trainer)", () => {
  it("two workers run four jobs, each exactly once", async () => {
    const cwd = await queueWorkspace(TINY);
    const added = pipeline(
      ["queue", "add", "configs/run.yaml", "configs/run.yaml", "configs/run.yaml", "configs/run.yaml"],
      { cwd, env },
    );
    expect(added.code, added.stderr).toBe(0);
    const a = startWorker(cwd, ["--once", "--poll-ms", "200"]);
    const b = startWorker(cwd, ["--once", "--poll-ms", "200"]);
    expect(await a.exited, a.stderr()).toBe(0);
    expect(await b.exited, b.stderr()).toBe(0);

    const done = jobs(cwd);
    expect(done.map((j) => [j.state, j.outcome, j.attempts])).toEqual(Array(4).fill(["done", "done", 1]));
    const runIds = new Set(done.map((j) => j.runId));
    expect(runIds.size).toBe(4);
    const dirs = readdirSync(join(cwd, "runs")).sort();
    expect(dirs).toEqual([...runIds].sort());
    for (const dir of dirs) {
      const events = readEvents(join(cwd, "runs", dir));
      expect(events.filter((e) => e.type === "start")).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: "done" });
    }
    // Both workers took part: each logged at least one attempt of its own.
    expect(a.stderr()).toMatch(/attempt 1 done/);
    expect(b.stderr()).toMatch(/attempt 1 done/);
    const status = JSON.parse(pipeline(["status", "--json"], { cwd, env }).stdout) as {
      jobsByState: Record<string, number>;
      spend: unknown;
    };
    expect(status.jobsByState).toMatchObject({ done: 4, queued: 0, running: 0 });
    // No pipeline.workspace.yaml: nothing is priced and the project has no budget.
    expect(status.spend).toEqual([
      { project: "default", currency: "USD", today: 0, month: 0, daily: null, monthly: null },
    ]);
  });

  it("a worker killed with SIGKILL has its job requeued, resumed from its checkpoint and completed by another", async () => {
    const cwd = await queueWorkspace(
      { max_steps: 40, logging_steps: 1, save_steps: 4 },
      { train: 256, eval: 4 },
    );
    expect(pipeline(["queue", "add", "configs/run.yaml"], { cwd, env }).code).toBe(0);
    const runsDir = join(cwd, "runs");
    const a = startWorker(cwd, ["--lease-s", "3", "--poll-ms", "200"]);
    let runDir = "";
    for (let i = 0; i < 900 && !runDir; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
      const events =
        run && existsSync(join(runsDir, run, "events.jsonl")) ? readEvents(join(runsDir, run)) : [];
      if (events.some((e) => e.type === "checkpoint")) runDir = join(runsDir, run!);
    }
    expect(runDir, a.stderr()).not.toBe("");
    a.child.kill("SIGKILL");
    await a.exited;

    const b = startWorker(cwd, ["--lease-s", "3", "--poll-ms", "200"]);
    let finished: JobJson | undefined;
    for (let i = 0; i < 900 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 500));
      finished = jobs(cwd).find((j) => j.state !== "queued" && j.state !== "running");
    }
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(130);
    expect(finished, b.stderr()).toMatchObject({ state: "done", outcome: "done", attempts: 2 });
    // Requeued once the lease expired (by worker b, or by the `queue list` this test polls with: any of them
    // requeues an expired lease), then resumed by b.
    const db = openDb(join(cwd, ".pipeline/state.db"));
    const attempts = listAttempts(db).map((t) => ({ outcome: t.outcome, resumed: t.resumed }));
    db.close();
    expect(attempts).toEqual([
      { outcome: "lost", resumed: false },
      { outcome: "done", resumed: true },
    ]);
    expect(b.stderr()).toMatch(/attempt 2, resuming run/);

    const events = readEvents(runDir);
    const starts = events.filter((e) => e.type === "start");
    expect(starts).toHaveLength(2);
    expect(starts[1]!.start_step as number).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 40 } });
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"))).toMatchObject({
      status: "done",
      step: 40,
    });
    // The orphaned run of the killed worker stopped by itself (it noticed its parent was gone).
    expect(readFileSync(join(runDir, "worker.log"), "utf8")).toMatch(/"code":"interrupted"/);
    expect(livingRuns(runsDir)).toEqual([]);
  });

  it("stops a run past its --max-hours (timeout, not retried) and a running job cancelled from the queue", async () => {
    const cwd = await queueWorkspace({ max_steps: 2000, logging_steps: 1, save_steps: 1000 });
    expect(pipeline(["queue", "add", "configs/run.yaml", "--max-hours", "0.01"], { cwd, env }).code).toBe(0);
    expect(pipeline(["queue", "add", "configs/run.yaml"], { cwd, env }).code).toBe(0);
    const worker = startWorker(cwd, ["--once", "--poll-ms", "200", "--lease-s", "3"]);
    // The second job starts once the first has timed out (one CPU slot); cancel it once it trains.
    let second: JobJson | undefined;
    for (let i = 0; i < 600; i++) {
      second = jobs(cwd)[1];
      const events = second?.runId ? join(cwd, "runs", second.runId, "events.jsonl") : "";
      if (
        events &&
        existsSync(events) &&
        readEvents(join(cwd, "runs", second!.runId)).some((e) => e.type === "step")
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const cancel = pipeline(["queue", "cancel", second!.id], { cwd, env });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(await worker.exited, worker.stderr()).toBe(0);
    const [first, cancelled] = jobs(cwd);
    expect(first).toMatchObject({ state: "failed", outcome: "timeout", attempts: 1 });
    expect(cancelled).toMatchObject({ state: "cancelled", outcome: "cancelled", attempts: 1 });
    // Both runs were stopped the graceful way: each saved a checkpoint it can be resumed from.
    for (const job of [first!, cancelled!]) {
      const events = readEvents(join(cwd, "runs", job.runId));
      expect(
        events.some((e) => e.type === "checkpoint"),
        job.id,
      ).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: "error", code: "interrupted" });
    }
    expect(livingRuns(join(cwd, "runs"))).toEqual([]);
  });

  it("refuses a bad config (nothing enqueued), a bad cron, and a GPU worker without nvidia-smi", async () => {
    const cwd = await queueWorkspace(TINY);
    const bad = pipeline(["queue", "add", "configs/run.yaml", "configs/missing.yaml"], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/configs\/missing\.yaml/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
    expect(jobs(cwd)).toEqual([]);

    const cron = pipeline(["schedule", "add", "0 25 * * *", "configs/run.yaml"], { cwd, env });
    expect(cron.code).toBe(2);
    expect(cron.stderr).toMatch(/error\[bad-cron\]: cron "0 25 \* \* \*": .*hour/);

    const gpu = pipeline(["worker", "--once"], { cwd, env: { ...env, PATH: "/nonexistent" } });
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(/no GPU found.*\n.*--cpu/);
  });

  it("a cron schedule fires at the expected minute, once, with the clock injected", async () => {
    const cwd = await queueWorkspace(TINY);
    const add = pipeline(
      [
        "schedule",
        "add",
        "30 3 * * *",
        "configs/run.yaml",
        "--name",
        "nightly",
        "--timezone",
        "UTC",
        "--now",
        "2026-03-02T10:00:00Z",
      ],
      { cwd, env },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain("next 2026-03-03T03:30:00Z");
    const tick = (now: string) => pipeline(["scheduler", "--once", "--now", now], { cwd, env });
    expect(tick("2026-03-03T03:29:59Z").stdout).toBe("");
    expect(jobs(cwd)).toEqual([]);
    expect(tick("2026-03-03T03:30:00Z").stdout).toMatch(/schedule nightly: enqueued job-000001/);
    expect(tick("2026-03-03T03:30:30Z").stdout).toBe("");
    expect(jobs(cwd)).toEqual([expect.objectContaining({ state: "queued", schedule: "nightly" })]);
    const listed = pipeline(["schedule", "list"], { cwd, env });
    expect(listed.stdout).toMatch(
      /nightly\s+30 3 \* \* \*\s+UTC\s+2026-03-04T03:30:00Z\s+2026-03-03T03:30:00Z/,
    );
    expect(pipeline(["schedule", "remove", "nightly"], { cwd, env }).code).toBe(0);
  });
});

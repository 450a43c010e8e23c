import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  addSchedule,
  backoffMs,
  cancelJob,
  claimJob,
  enqueue,
  evaluateSchedules,
  finishAttempt,
  getJob,
  listAttempts,
  openDb,
  parseNvidiaSmi,
  renewLease,
  requeueExpired,
  spendSince,
  type ClaimRequest,
  type Db,
} from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "pipeline-queue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse("2026-03-02T10:00:00Z");
const job = (extra = {}) => ({ config: "/c/run.yaml", configHash: "h", ...extra });
function request(db: Db, extra: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    worker: "w1",
    freeGpus: 0,
    cpuSlotFree: true,
    now: T0,
    leaseMs: 3000,
    runsDir: "/runs",
    newRunId: (j) => `run-${j.seq}`,
    ...extra,
  };
}

describe("claiming", () => {
  it("takes the highest priority, then the oldest, and only jobs that fit the free GPUs", () => {
    const db = openDb(":memory:");
    enqueue(db, job({ priority: 0 }), T0);
    enqueue(db, job({ priority: 5, gpus: 2 }), T0);
    enqueue(db, job({ priority: 5 }), T0);
    enqueue(db, job({ priority: 5 }), T0);
    expect(claimJob(db, request(db, { freeGpus: 1 }))?.job.id).toBe("job-000003");
    expect(claimJob(db, request(db, { freeGpus: 2, cpuSlotFree: false }))?.job.id).toBe("job-000002");
    expect(claimJob(db, request(db, { freeGpus: 0 }))?.job.id).toBe("job-000004");
    const claimed = claimJob(db, request(db))!;
    expect(claimed.job).toMatchObject({ id: "job-000001", state: "running", worker: "w1", runId: "run-1" });
    expect(claimJob(db, request(db))).toBeUndefined();
  });

  it("never hands one job to two connections", () => {
    const file = join(dir, "claim.db");
    const a = openDb(file);
    const b = openDb(file);
    for (let i = 0; i < 20; i++) enqueue(a, job(), T0);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      for (const [db, worker] of [
        [a, "a"],
        [b, "b"],
      ] as const) {
        const claim = claimJob(db, request(db, { worker }));
        if (claim) {
          expect(seen.has(claim.job.seq)).toBe(false);
          seen.add(claim.job.seq);
        }
      }
    }
    expect(seen.size).toBe(20);
  });
});

describe("attempts, retries and leases", () => {
  it("retries a failed attempt after an exponential backoff, then fails when retries are used up", () => {
    const db = openDb(":memory:");
    enqueue(db, job({ maxRetries: 1 }), T0);
    const backoff = { baseMs: 1000, factor: 2, jitter: 0, maxMs: 60_000 };
    const end = (n: number, now: number) =>
      finishAttempt(
        db,
        {
          seq: 1,
          attempt: n,
          worker: "w1",
          outcome: "failed",
          exitCode: 70,
          deviceType: "cpu",
          deviceHours: 0.1,
          now,
        },
        backoff,
      );
    claimJob(db, request(db));
    expect(end(1, T0 + 10)).toEqual({ state: "queued", notBefore: T0 + 1010 });
    expect(claimJob(db, request(db, { now: T0 + 1009 }))).toBeUndefined();
    expect(claimJob(db, request(db, { now: T0 + 1010 }))?.attempt).toBe(2);
    expect(end(2, T0 + 2000)?.state).toBe("failed");
    expect(listAttempts(db, 1).map((a) => a.outcome)).toEqual(["failed", "failed"]);
  });

  it("grows the delay by the factor, with bounded jitter", () => {
    const b = { baseMs: 30_000, factor: 2, jitter: 0.2, maxMs: 3_600_000 };
    expect(backoffMs(1, b, () => 0.5)).toBe(30_000);
    expect(backoffMs(3, b, () => 0.5)).toBe(120_000);
    expect(backoffMs(1, b, () => 0)).toBe(24_000);
    expect(backoffMs(1, b, () => 1)).toBe(36_000);
    expect(backoffMs(20, b, () => 0.5)).toBe(3_600_000);
  });

  it("treats a gate failure as done (not retried)", () => {
    const db = openDb(":memory:");
    enqueue(db, job(), T0);
    claimJob(db, request(db));
    const end = { seq: 1, attempt: 1, worker: "w1", exitCode: 1, deviceType: "cpu", deviceHours: 0, now: T0 };
    expect(finishAttempt(db, { ...end, outcome: "gates-failed" })?.state).toBe("done");
    expect(getJob(db, 1)?.outcome).toBe("gates-failed");
  });

  it("requeues a job whose lease expired, keeping its run id, and records the attempt as lost", () => {
    const db = openDb(":memory:");
    enqueue(db, job(), T0);
    claimJob(db, request(db));
    expect(renewLease(db, 1, "w1", T0 + 2000)).toEqual({ owned: true, cancelRequested: false });
    expect(requeueExpired(db, T0 + 4999)).toEqual([]);
    const [requeued] = requeueExpired(db, T0 + 5001);
    expect(requeued).toMatchObject({ id: "job-000001", state: "queued" });
    expect(getJob(db, 1)).toMatchObject({ state: "queued", runId: "run-1", worker: null, outcome: "lost" });
    expect(listAttempts(db, 1)[0]).toMatchObject({ outcome: "lost", endedAt: T0 + 2000 });
    // The dead worker's heartbeat no longer owns it; the next claim resumes the same run.
    expect(renewLease(db, 1, "w1", T0 + 6000).owned).toBe(false);
    const next = claimJob(db, request(db, { worker: "w2", now: T0 + 6000 }))!;
    expect(next).toMatchObject({ attempt: 2, job: { runId: "run-1", worker: "w2" } });
  });

  it("cancels a queued job at once and flags a running one for its worker", () => {
    const db = openDb(":memory:");
    enqueue(db, job(), T0);
    enqueue(db, job(), T0);
    claimJob(db, request(db));
    expect(cancelJob(db, 2, T0).state).toBe("cancelled");
    expect(cancelJob(db, 1, T0)).toMatchObject({ state: "running", cancelRequested: true });
    expect(renewLease(db, 1, "w1", T0 + 1).cancelRequested).toBe(true);
    expect(() => cancelJob(db, 2, T0)).toThrow(/already cancelled/);
  });

  it("sums a project's spend since a time", () => {
    const db = openDb(":memory:");
    enqueue(db, job({ project: "a" }), T0);
    claimJob(db, request(db));
    finishAttempt(db, {
      seq: 1,
      attempt: 1,
      worker: "w1",
      outcome: "done",
      exitCode: 0,
      deviceType: "H100",
      deviceHours: 2,
      cost: { cost: 6.5, currency: "USD" },
      now: T0 + 10,
    });
    expect(spendSince(db, "a", new Date(T0).toISOString())).toBe(6.5);
    expect(spendSince(db, "a", new Date(T0 + 11).toISOString())).toBe(0);
    expect(spendSince(db, "b", new Date(T0).toISOString())).toBe(0);
  });
});

describe("schedules", () => {
  it("fires once when due, at most one catch-up after downtime, never twice from two workers", () => {
    const file = join(dir, "schedules.db");
    const a = openDb(file);
    const b = openDb(file);
    const s = addSchedule(
      a,
      {
        name: "nightly",
        cron: "30 3 * * *",
        config: "/c/run.yaml",
        timezone: "UTC",
        job: { configHash: "h" },
      },
      T0,
    );
    expect(new Date(s.nextDue).toISOString()).toBe("2026-03-03T03:30:00.000Z");
    expect(evaluateSchedules(a, Date.parse("2026-03-03T03:29:59Z"))).toEqual([]);
    const due = Date.parse("2026-03-03T03:30:00Z");
    expect(evaluateSchedules(a, due)).toHaveLength(1);
    expect(evaluateSchedules(b, due)).toHaveLength(0);
    // Five days down: one job, and the next occurrence after now.
    const later = Date.parse("2026-03-08T12:00:00Z");
    const fired = evaluateSchedules(b, later);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.job.schedule).toBe("nightly");
    expect(new Date(fired[0]!.schedule.nextDue).toISOString()).toBe("2026-03-09T03:30:00.000Z");
    expect(evaluateSchedules(a, later)).toHaveLength(0);
  });

  it("refuses a bad cron or time zone with what was wrong", () => {
    const db = openDb(":memory:");
    const add = (cron: string, timezone: string | null) =>
      addSchedule(db, { name: cron, cron, config: "/c", timezone, job: { configHash: "h" } }, T0);
    expect(() => add("61 * * * *", null)).toThrow(/cron "61 \* \* \* \*".*minute/);
    expect(() => add("0 3 * * *", "Mars/Olympus")).toThrow(/timezone "Mars\/Olympus"/);
  });
});

describe("nvidia-smi", () => {
  it("parses GPUs, tolerating blank lines, warnings and N/A memory", () => {
    const text = [
      "0, NVIDIA H100 80GB HBM3, 81559 MiB",
      "1, NVIDIA H100 80GB HBM3, 81559 MiB",
      "",
      "WARNING: infoROM is corrupted at gpu 0000:00:05.0",
      "2, Tesla T4, [N/A]",
    ].join("\n");
    expect(parseNvidiaSmi(text)).toEqual([
      { index: 0, name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
      { index: 1, name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
      { index: 2, name: "Tesla T4", memoryMiB: null },
    ]);
  });
});

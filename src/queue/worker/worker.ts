import { runDirPaths } from "../../run-dir/index.js";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { newRunId } from "../../run-dir/index.js";
import type { Db } from "../db.js";
import { claimJob, releaseClaim, type Claim } from "../claim.js";
import { finishAttempt } from "../finish.js";
import { getAttempt, markStarted } from "../attempts.js";
import { getJob } from "../jobs.js";
import { renewLease, requeueExpired } from "../lease.js";
import { evaluateSchedules } from "../schedules.js";
import { takeSnapshot } from "../snapshot.js";
import { beatWorker, registerWorker, removeWorker } from "../workers.js";
import { DEFAULT_BACKOFF, type Backoff } from "../backoff.js";
import type { Gpu } from "../gpus.js";
import type { WorkerHooks } from "../hooks.js";
import { classifyExit, lastError, type StopReason } from "./classify.js";
import { deviceEnv, runArgs } from "./run-args.js";
import { Slots } from "./slots.js";
import { spawnRun, type RunningChild } from "./spawn-run.js";
import { waitForRunLock } from "./wait-lock.js";

export interface WorkerOptions {
  db: Db;
  /** The GPUs this worker owns (none for a CPU worker) and their type (`cpu` for a CPU worker). */
  gpus: Gpu[];
  deviceType: string;
  /** Absolute. */
  runsDir: string;
  /** `bin/pipeline.js`, which each attempt runs as `pipeline run`. */
  bin: string;
  pollMs: number;
  leaseMs: number;
  /** Exit once nothing runs and nothing can be claimed. */
  once: boolean;
  metricsPort?: number;
  now?: () => number;
  backoff?: Backoff;
  /** How long a job refused by beforeStart waits before any worker asks again. */
  refusalDelayMs?: number;
  /** Jobs that ask for no GPU run this many at a time (default 1; a Ray worker: the cluster's CPUs). */
  cpuSlots?: number;
  /** `--set` flags every fresh run gets (a Ray worker: its cluster as the runtime). */
  runSet?: string[];
  /** Stops the worker like SIGTERM: running jobs are stopped (checkpoint) and queued again. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

interface Active {
  claim: Claim;
  child?: RunningChild;
  gpus: number[];
  stopped?: StopReason;
  startedAt: number;
}

/**
 * The worker loop: requeue jobs of dead workers, fire due schedules, claim what fits the free devices,
 * run each claim as `pipeline run` in a child process, heartbeat the leases, and record every attempt.
 * Returns the exit code: 0, or 130 when it was stopped.
 */
export async function runWorker(options: WorkerOptions, hooks: WorkerHooks = {}): Promise<number> {
  const { db } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const id = `${hostname()}-${process.pid}-${randomBytes(2).toString("hex")}`;
  const slots = new Slots(
    options.gpus.map((gpu) => gpu.index),
    options.cpuSlots,
  );
  const active = new Map<number, Active>();
  let wake: () => void = () => {};

  registerWorker(db, {
    id,
    host: hostname(),
    pid: process.pid,
    gpus: options.gpus.map((gpu) => gpu.index).join(","),
    deviceType: options.deviceType,
    startedAt: now(),
    heartbeatAt: now(),
  });
  const where = options.gpus.length
    ? `GPUs ${options.gpus.map((g) => g.index).join(",")} (${options.deviceType})`
    : "CPU";
  log(`worker ${id}: ${where}, runs in ${options.runsDir}`);
  if (options.metricsPort !== undefined)
    await hooks.onMetricsPort?.(options.metricsPort, () =>
      takeSnapshot(db, now(), { worker: id, gpuTotal: options.gpus.length }),
    );

  const stopAll = (reason: StopReason) => {
    for (const job of active.values()) {
      job.stopped ??= reason;
      job.child?.stop();
    }
  };
  const onAbort = () => {
    stopAll("shutdown");
    wake();
  };
  options.signal?.addEventListener("abort", onAbort);

  const heartbeat = setInterval(
    () => {
      beatWorker(db, id, now());
      for (const [seq, job] of active) {
        const lease = renewLease(db, seq, id, now());
        const maxHours = job.claim.job.maxHours;
        const why: StopReason | undefined = !lease.owned
          ? "lost"
          : lease.cancelRequested
            ? "cancelled"
            : maxHours !== null && now() - job.startedAt > maxHours * 3_600_000
              ? "timeout"
              : undefined;
        if (why && !job.stopped) {
          log(`${job.claim.job.id}: stopping its run (${why})`);
          job.stopped = why;
          job.child?.stop();
        }
      }
    },
    Math.max(50, Math.floor(options.leaseMs / 3)),
  );

  const runOne = async (claim: Claim, gpus: number[]) => {
    const entry: Active = { claim, gpus, startedAt: now() };
    active.set(claim.job.seq, entry);
    try {
      await attempt(entry);
    } catch (error) {
      log(`${claim.job.id}: ${String(error)}`);
    } finally {
      active.delete(claim.job.seq);
      slots.give(gpus);
      wake();
    }
  };

  const attempt = async (entry: Active) => {
    const { job } = entry.claim;
    const decision = (await hooks.beforeStart?.(job)) ?? { allow: true };
    if (!decision.allow) {
      const message = decision.message ?? "refused by a beforeStart hook";
      releaseClaim(db, entry.claim, message, now() + (options.refusalDelayMs ?? 60_000), now());
      log(`${job.id}: not started: ${message}`);
      return;
    }
    const runDir = join(job.runsDir!, job.runId!);
    const resume = existsSync(runDirPaths(runDir).record);
    if (resume) {
      const holder = await waitForRunLock(runDir);
      if (holder !== undefined) {
        end(entry, { code: null, signal: null }, `run ${job.runId} is still held by process ${holder}`);
        return;
      }
    }
    markStarted(db, job.seq, entry.claim.attempt, {
      deviceType: options.deviceType,
      assignedGpus: entry.gpus.join(","),
      resumed: resume,
    });
    const rate = hooks.priceAttempt?.(options.deviceType, 1);
    const args = runArgs({
      config: job.config,
      runsDir: job.runsDir!,
      runId: job.runId!,
      resume,
      set: options.runSet ?? [],
      ...(rate && { pricePerGpuHour: rate.cost, currency: rate.currency }),
    });
    log(
      `${job.id}: attempt ${entry.claim.attempt}, ${resume ? "resuming" : "starting"} run ${job.runId}${entry.gpus.length ? ` on GPUs ${entry.gpus.join(",")}` : ""}`,
    );
    entry.startedAt = now();
    entry.child = spawnRun(options.bin, args, runDir, deviceEnv(entry.gpus));
    if (entry.stopped) entry.child.stop();
    const exit = await entry.child.exited;
    end(entry, exit, exit.code === 0 ? undefined : lastError(entry.child.logTail()));
  };

  const end = (entry: Active, exit: { code: number | null; signal: string | null }, error?: string) => {
    const { job } = entry.claim;
    const runDir = join(job.runsDir!, job.runId!);
    const outcome = classifyExit(exit, entry.stopped, runDir);
    const deviceHours = ((now() - entry.startedAt) / 3_600_000) * Math.max(job.gpus, 1);
    const cost = hooks.priceAttempt?.(options.deviceType, deviceHours);
    const next = finishAttempt(
      db,
      {
        seq: job.seq,
        attempt: entry.claim.attempt,
        worker: id,
        outcome,
        exitCode: exit.code,
        error: error ?? (exit.signal ? `killed by ${exit.signal}` : null),
        deviceType: options.deviceType,
        deviceHours,
        cost,
        now: now(),
      },
      options.backoff ?? DEFAULT_BACKOFF,
    );
    log(
      `${job.id}: attempt ${entry.claim.attempt} ${outcome} (exit ${exit.code ?? exit.signal}) → ${next?.state ?? "taken over"}`,
    );
    const after = getJob(db, job.seq);
    const record = getAttempt(db, job.seq, entry.claim.attempt);
    if (after && record)
      void Promise.resolve(hooks.onJobEnd?.(after, record)).catch((e: unknown) => log(String(e)));
  };

  const price = hooks.priceAttempt?.bind(hooks);
  try {
    while (!options.signal?.aborted) {
      for (const job of requeueExpired(db, now(), price))
        log(`${job.id}: its worker stopped responding → ${job.state}`);
      for (const fired of evaluateSchedules(db, now()))
        log(`schedule ${fired.schedule.name}: enqueued ${fired.job.id}`);
      let claimed = false;
      for (;;) {
        const claim = claimJob(db, {
          worker: id,
          freeGpus: slots.freeGpus,
          cpuSlotFree: slots.cpuSlotFree,
          now: now(),
          leaseMs: options.leaseMs,
          runsDir: options.runsDir,
          newRunId: (job) => `${newRunId(job.config)}-${job.id.slice(4)}`,
        });
        if (!claim) break;
        claimed = true;
        void runOne(claim, slots.take(claim.job.gpus));
      }
      if (options.once && !claimed && active.size === 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    while (active.size > 0) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onAbort);
    removeWorker(db, id);
    await hooks.onStop?.();
  }
  return options.signal?.aborted ? 130 : 0;
}

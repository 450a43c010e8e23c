/**
 * Claim throughput of the SQLite job queue: 10,000 jobs, 4 worker processes (each its own connection)
 * claiming and completing as fast as they can (no training: claim + finishAttempt only), against one
 * worker process on the same number of jobs, measured in the same run.
 *
 *   npx tsx bench/queue-claim.ts [--jobs 10000] [--workers 4]
 *
 * Prints claims/s, p50 and p99 claim latency (one claimJob transaction, lock wait included) for both,
 * and the ratio of the 4-worker throughput to the single worker's.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimJob, enqueue, finishAttempt, immediate, openDb } from "../src/queue/index.js";
import { numberFlag } from "./flags.js";

if (process.argv[2] === "--child") {
  const [file, worker] = [process.argv[3]!, process.argv[4]!];
  const db = openDb(file);
  const latencies: number[] = [];
  for (;;) {
    const t = performance.now();
    const claim = claimJob(db, {
      worker,
      freeGpus: 0,
      cpuSlotFree: true,
      now: Date.now(),
      leaseMs: 60_000,
      runsDir: "/runs",
      newRunId: (job) => `run-${job.seq}`,
    });
    latencies.push(performance.now() - t);
    if (!claim) break;
    finishAttempt(db, {
      seq: claim.job.seq,
      attempt: claim.attempt,
      worker,
      outcome: "done",
      exitCode: 0,
      deviceType: "cpu",
      deviceHours: 0,
      now: Date.now(),
    });
  }
  db.close();
  process.stdout.write(JSON.stringify(latencies.slice(0, -1)));
} else {
  const jobs = numberFlag("--jobs", 10_000);
  const workers = numberFlag("--workers", 4);
  const baseline = await measure(jobs, 1);
  const many = await measure(jobs, workers);
  const line = (name: string, r: Result) =>
    `${name.padEnd(12)} ${r.claims} claims in ${r.seconds.toFixed(2)} s: ${Math.round(r.claims / r.seconds)} claims/s, ` +
    `claim latency p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;
  console.log(line("1 worker", baseline));
  console.log(line(`${workers} workers`, many));
  console.log(
    `ratio (${workers} workers / 1 worker, claims/s): ${(many.claims / many.seconds / (baseline.claims / baseline.seconds)).toFixed(2)}`,
  );
}

interface Result {
  claims: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function measure(jobs: number, workers: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), "pipeline-bench-queue-"));
  const file = join(dir, "state.db");
  const db = openDb(file);
  immediate(db, () => {
    for (let i = 0; i < jobs; i++)
      enqueue(db, { config: "/c/run.yaml", configHash: "h", priority: i % 7 }, Date.now());
  });
  db.close();
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: workers }, (_, i) => child(file, `w${i}`)));
  const seconds = (performance.now() - start) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const latencies = results.flat().sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { claims: latencies.length, seconds, p50: at(0.5), p99: at(0.99) };
}

function child(file: string, worker: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, import.meta.filename, "--child", file, worker],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exit ${code}`)),
    );
  });
}

/**
 * What tracking adds to the training path: the orchestrator's per-event work (append the event to events.jsonl,
 * as followTrainer does) with and without a tracker fed every event, measured in the same run, for an MLflow
 * server that answers slowly (a loopback stand-in that waits 200 ms per request) and for one that is down.
 *
 *   npx tsx bench/tracking-overhead.ts [--events 5000]
 *
 * Prints µs per event for each case and its ratio to the baseline; the tracker only queues, so the ratio stays
 * near 1 whatever the server does. The final drain (after training) is timed separately.
 */
import { appendFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunConfig } from "../src/config/index.js";
import type { TrainerEvent } from "../src/launch/index.js";
import { startTracking } from "../src/tracking/index.js";
import { numberFlag } from "./flags.js";

const count = numberFlag("--events", 5000);

const step = (n: number): TrainerEvent => ({
  ...{ v: 1, time: 1_700_000_000 + n, type: "step", step: n, total_steps: count, epoch: 0, loss: 1 / n },
  ...{ lr: 1e-4, grad_norm: 1, tokens_per_s: 1000, tokens: n * 100, elapsed_s: n },
});

// A stand-in MLflow server (benchmark only): the answers runs/create and get-by-name need, 200 ms late.
const slow = createServer((request, response) => {
  const body = request.url!.includes("get-by-name")
    ? { experiment: { experiment_id: "1", lifecycle_stage: "active" } }
    : request.url!.includes("runs/create")
      ? {
          run: { info: { run_id: "r", experiment_id: "1", artifact_uri: "mlflow-artifacts:/1/r/artifacts" } },
        }
      : {};
  request.resume().on("end", () => setTimeout(() => response.end(JSON.stringify(body)), 200));
});
await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
const slowUri = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;

interface Result {
  perEvent: number;
  /** µs per event spent inside tracker.onEvent itself. */
  inTracker: number;
  drain: number;
}

async function measure(uri: string | undefined): Promise<Result> {
  const runDir = mkdtempSync(join(tmpdir(), "bench-tracking-"));
  const config = RunConfig.parse({
    base_model: "builtin:tiny",
    datasets: [{ path: "train.jsonl", template: "chatml" }],
    ...(uri && { tracking: { mlflow: { uri } } }),
  });
  const quiet = { warn: () => {}, info: () => {}, progress: () => {} };
  const tracker = await startTracking({
    ...{
      runId: "bench",
      runDir,
      config,
      configFile: "bench.yaml",
      configHash: "0",
      baseModel: "builtin:tiny",
    },
    ...{ resolvedModel: "/tmp/tiny-000000000000", runtime: "local", log: quiet },
  });
  const events = join(runDir, "events.jsonl");
  let inTracker = 0;
  const started = performance.now();
  for (let n = 1; n <= count; n++) {
    const event = step(n);
    await appendFile(events, JSON.stringify(event) + "\n");
    const t = performance.now();
    tracker?.onEvent(event);
    inTracker += performance.now() - t;
  }
  const perEvent = ((performance.now() - started) * 1000) / count;
  const drainStart = performance.now();
  await tracker?.finish("done");
  return { perEvent, inTracker: (inTracker * 1000) / count, drain: (performance.now() - drainStart) / 1000 };
}

const median = (rs: Result[]): Result => {
  const mid = (f: (r: Result) => number) => rs.map(f).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
  return { perEvent: mid((r) => r.perEvent), inTracker: mid((r) => r.inTracker), drain: mid((r) => r.drain) };
};

process.env.PIPELINE_TRACKING_FINISH_S = "120";
// Three rounds, the cases alternating, so a noisy neighbour weighs on all of them alike; medians.
const rounds: Result[][] = [[], [], []];
for (let round = 0; round < 3; round++) {
  for (const [i, uri] of [undefined, slowUri, "http://127.0.0.1:9"].entries())
    rounds[i]!.push(await measure(uri));
}
slow.close();
const [base, slowServer, down] = rounds.map(median) as [Result, Result, Result];
const line = (name: string, r: Result) =>
  `${name.padEnd(34)} ${r.perEvent.toFixed(1).padStart(7)} µs/event  ${(r.perEvent / base.perEvent).toFixed(2)}×  ` +
  `(in onEvent ${r.inTracker.toFixed(1)} µs; end of run ${r.drain.toFixed(1)} s)`;
console.log(`${count} step events, median of 3 rounds`);
console.log(line("no tracking (append only)", base));
console.log(line("MLflow answering in 200 ms", slowServer));
console.log(line("MLflow down (connection refused)", down));

/**
 * The ray runtime on a two-node CPU cluster on loopback (test/helpers/ray-cluster.ts: a head and two CPU
 * nodes, MinIO as the store): tokens/s of one worker against two (DDP across the nodes, the same micro-batch per
 * worker, so two workers train twice the sequences per step), and the overhead from `pipeline run` to the first
 * training step (inputs to the store, the job package, submission, the nodes pulling their inputs, torchrun).
 * Both measured in the same run, on the same cluster.
 *
 *   npm run build && npx tsx bench/ray-scaling.ts [--steps 60] [--rounds 2]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startRayCluster, RAY_TOKEN } from "../test/helpers/ray-cluster.js";
import { startS3 } from "../test/helpers/s3-server.js";
import { workspace } from "../test/helpers/workspace.js";
import { numberFlag } from "./flags.js";

const steps = numberFlag("--steps", 60);
const rounds = numberFlag("--rounds", 2);
const root = join(import.meta.dirname, "..");

const [s3, cluster] = await Promise.all([startS3(), startRayCluster(2)]);
try {
  const rows = readFileSync(join(root, "datasets/quickstart/train.jsonl"), "utf8").split("\n").slice(0, 512);
  const run = async (workers: number) => {
    const config = `base_model: builtin:tiny
device: cpu
datasets: [{ path: ../data/train.jsonl, template: chatml, eval_split: 0 }]
lora: { r: 8, alpha: 16, target_modules: all-linear }
training: { micro_batch_size: 8, max_seq_len: 256, precision: fp32, logging_steps: 1, max_steps: ${steps}, save_steps: 100000 }
runtime: { type: ray, address: "${cluster.address}", num_workers: ${workers}, gpus_per_worker: 0 }
checkpoints: { store: "s3://${s3.bucket}/bench", s3: { endpoint: "${s3.endpoint}" } }
`;
    const cwd = await workspace({ "configs/run.yaml": config, "data/train.jsonl": rows.join("\n") + "\n" });
    const started = Date.now() / 1000;
    const result = spawnSync(
      process.execPath,
      [join(root, "bin/pipeline.js"), "run", "configs/run.yaml", "--json"],
      {
        cwd,
        env: { ...s3.env, RAY_AUTH_TOKEN: RAY_TOKEN, CI: "1" },
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`run failed: ${result.stderr.slice(-2000)}`);
    const events = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map(
        (l) =>
          JSON.parse(l) as { type: string; time: number; metrics?: { tokens: number; runtime_s: number } },
      )
      .filter((e) => typeof e.type === "string");
    const firstStep = events.find((e) => e.type === "step")!;
    const done = events.find((e) => e.type === "done")!;
    return {
      tokensPerS: done.metrics!.tokens / done.metrics!.runtime_s,
      toFirstStepS: firstStep.time - started,
    };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const one: Awaited<ReturnType<typeof run>>[] = [];
  const two: typeof one = [];
  for (let i = 0; i < rounds; i++) {
    one.push(await run(1));
    two.push(await run(2));
  }
  const t1 = median(one.map((r) => r.tokensPerS));
  const t2 = median(two.map((r) => r.tokensPerS));
  console.log(`steps per run: ${steps}, rounds: ${rounds} (medians)`);
  console.log(
    `1 worker : ${t1.toFixed(0)} tokens/s, pipeline run → first step ${median(one.map((r) => r.toFirstStepS)).toFixed(1)} s`,
  );
  console.log(
    `2 workers: ${t2.toFixed(0)} tokens/s, pipeline run → first step ${median(two.map((r) => r.toFirstStepS)).toFixed(1)} s`,
  );
  console.log(`scaling 2 vs 1 worker: ${(t2 / t1).toFixed(2)}x (ideal 2.00x)`);
} finally {
  await cluster.stop();
  await s3.close();
}

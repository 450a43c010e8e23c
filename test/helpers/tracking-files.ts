import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { trackingPython } from "../../src/tracking/index.js";
import { root } from "./cli.js";

/** TensorBoard's event files as TensorBoard's own reader (event_accumulator) sees them. */
export async function readTensorBoard(logdir: string) {
  return runReader<{ scalars: Record<string, [number, number][]>; texts: Record<string, string> }>(
    "read_tensorboard.py",
    logdir,
  );
}

export interface WandbRun {
  id: string;
  project: string;
  config: Record<string, unknown>;
  history: Record<string, number>[];
  summary: Record<string, number>;
  files: string[];
  exit: number | null;
}

/** W&B's offline run files (run-<id>.wandb), decoded with W&B's own protobuf records. */
export async function readWandb(wandbDir: string) {
  return (await runReader<{ runs: WandbRun[] }>("read_wandb.py", wandbDir)).runs;
}

async function runReader<T>(script: string, dir: string): Promise<T> {
  const python = await trackingPython();
  const out = execFileSync(python, [join(root, "test/fixtures/tracking", script), dir], {
    encoding: "utf8",
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(out) as T;
}

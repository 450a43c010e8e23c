export interface RunArgs {
  config: string;
  runsDir: string;
  runId: string;
  /** Continue the run from its newest complete checkpoint instead of starting it. */
  resume: boolean;
  /** `--set` flags of a fresh run (a resumed one keeps the config it started with). */
  set?: string[];
  /** The hourly device price, so the run's own report carries its cost (fresh runs only). */
  pricePerGpuHour?: number;
  currency?: string;
}

/** The `pipeline …` arguments of one attempt: the same code path as a hand-started `pipeline run`. */
export function runArgs(run: RunArgs): string[] {
  if (run.resume) return ["run", "--resume", run.runId, "--runs-dir", run.runsDir, "--json"];
  const args = ["run", run.config, "--runs-dir", run.runsDir, "--json", "--run-id", run.runId];
  for (const flag of run.set ?? []) args.push("--set", flag);
  if (run.pricePerGpuHour !== undefined) args.push("--set", `cost.price_per_gpu_hour=${run.pricePerGpuHour}`);
  if (run.currency !== undefined) args.push("--set", `cost.currency=${run.currency}`);
  return args;
}

/** The child's device environment: its GPUs for the local runtime and (PIPELINE_GPUS) for docker. */
export function deviceEnv(gpus: number[]): Record<string, string> {
  const list = gpus.join(",");
  return { CUDA_VISIBLE_DEVICES: list, PIPELINE_GPUS: list };
}

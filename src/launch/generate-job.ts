/**
 * One evaluation generation job: base and adapter in one process (one model load; the base's outputs with
 * the adapter disabled), greedy and seeded, over a formatted prompts file. Every runtime runs it where it
 * trains (docker/generate.py), so an adapter trained on a GPU box is evaluated on that box.
 */
export interface GenerateJob {
  /** The run it belongs to (container labels). */
  runId: string;
  /** A model directory or hub id, as generate.py loads it. */
  model: string;
  adapter: string;
  /** Formatted JSONL: the prompt is everything before the last trained segment, the reference is that segment. */
  prompts: string;
  /** The adapter's generations (JSONL); `baseOut` the base model's. Both in the prompts file's folder. */
  out: string;
  baseOut: string;
  /**
   * eval.compare_to: a second adapter on the same base, generated in the same job after the first (one model
   * load, the same batches and seed); its results go to `out`, beside the others.
   */
  champion?: { adapter: string; out: string };
  batchSize: number;
  maxNewTokens: number;
  device: string;
  seed: number;
  /** generate.py's stderr goes here. */
  logPath: string;
}

/** generate.py's arguments for a job whose paths are as the process sees them. Pure. */
export function generateFlags(job: GenerateJob): string[] {
  return [
    "--model",
    job.model,
    "--adapter",
    job.adapter,
    "--base-out",
    job.baseOut,
    "--prompts",
    job.prompts,
    "--out",
    job.out,
    "--batch-size",
    String(job.batchSize),
    "--max-new-tokens",
    String(job.maxNewTokens),
    "--device",
    job.device,
    "--seed",
    String(job.seed),
    ...(job.champion ? ["--champion", job.champion.adapter, "--champion-out", job.champion.out] : []),
  ];
}

import { readFile } from "node:fs/promises";
import type { GenerateJob } from "../launch/generate-job.js";
import type { ScorerInput } from "./types.js";

/** One generated case, as docker/generate.py writes it: what scorers read. */
export type Generation = ScorerInput;

/** Runs a generation job where the run's runtime runs (a local process, a container on the run's engine). */
export type Generator = (job: GenerateJob) => Promise<void>;

/**
 * Base and adapter in one job: one model load, the base's outputs computed with the adapter disabled.
 * Both runs see the same batches, seed and settings, so their cases pair one to one.
 */
export async function generatePair(
  generator: Generator,
  job: GenerateJob,
): Promise<{ base: Generation[]; adapter: Generation[]; champion?: Generation[] }> {
  await generator(job);
  const pair = { base: await readGenerations(job.baseOut), adapter: await readGenerations(job.out) };
  return job.champion ? { ...pair, champion: await readGenerations(job.champion.out) } : pair;
}

async function readGenerations(file: string): Promise<Generation[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Generation);
}

import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { FailedError } from "../errors/index.js";
import { cannotStart } from "../errors/environment.js";
import { generateScript } from "../launch/paths.js";
import type { ScorerInput } from "./types.js";

/** One generated case, as docker/generate.py writes it: what scorers read. */
export type Generation = ScorerInput;

export interface GenerateOptions {
  model: string;
  adapter?: string;
  /** With `adapter`: also generate with the adapter disabled, in the same process, into this file. */
  baseOut?: string;
  /** Formatted JSONL: the prompt is everything before the last trained segment, the reference is that segment. */
  prompts: string;
  out: string;
  batchSize: number;
  maxNewTokens: number;
  device: string;
  seed: number;
  logPath?: string;
}

export function generateArgs(options: GenerateOptions): string[] {
  return [
    "-u",
    generateScript,
    "--model",
    options.model,
    ...(options.adapter ? ["--adapter", options.adapter] : []),
    ...(options.baseOut ? ["--base-out", options.baseOut] : []),
    "--prompts",
    options.prompts,
    "--out",
    options.out,
    "--batch-size",
    String(options.batchSize),
    "--max-new-tokens",
    String(options.maxNewTokens),
    "--device",
    options.device,
    "--seed",
    String(options.seed),
  ];
}

/** Batched greedy generation by the Python payload (docker/generate.py); returns the saved generations. */
export async function generate(python: string, options: GenerateOptions): Promise<Generation[]> {
  await runGenerate(python, options, options.adapter ? "the adapter" : "the base model");
  return readGenerations(options.out);
}

/**
 * Base and adapter in one job: one model load, the base's outputs computed with the adapter disabled.
 * Both runs see the same batches, seed and settings, so their cases pair one to one.
 */
export async function generatePair(
  python: string,
  options: GenerateOptions & { adapter: string; baseOut: string },
): Promise<{ base: Generation[]; adapter: Generation[] }> {
  await runGenerate(python, options, "base model and adapter");
  return { base: await readGenerations(options.baseOut), adapter: await readGenerations(options.out) };
}

async function runGenerate(python: string, options: GenerateOptions, what: string): Promise<void> {
  const result = await execa(python, generateArgs(options), {
    reject: false,
    stderr: options.logPath ? { file: options.logPath, append: true } : "pipe",
  });
  if (result.failed) {
    const missing = cannotStart(result);
    if (missing) throw missing;
    throw new FailedError("generate", `generation with ${what} failed (exit ${result.exitCode})`, {
      hint: options.logPath
        ? `see ${options.logPath}`
        : String(result.stderr).split("\n").slice(-5).join("\n"),
    });
  }
}

async function readGenerations(file: string): Promise<Generation[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Generation);
}

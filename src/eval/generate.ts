import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { FailedError } from "../errors/index.js";
import { generateScript } from "../launch/paths.js";
import type { ScorerInput } from "./types.js";

/** One generated case, as docker/generate.py writes it: what scorers read. */
export type Generation = ScorerInput;

export interface GenerateOptions {
  model: string;
  adapter?: string;
  /** Formatted JSONL: the prompt is everything before the last trained segment, the reference is that segment. */
  prompts: string;
  out: string;
  batchSize: number;
  maxNewTokens: number;
  device: string;
  seed: number;
  logPath?: string;
}

/** Batched greedy generation by the Python payload (docker/generate.py); returns the saved generations. */
export async function generate(python: string, options: GenerateOptions): Promise<Generation[]> {
  const args = [
    "-u",
    generateScript,
    "--model",
    options.model,
    ...(options.adapter ? ["--adapter", options.adapter] : []),
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
  const result = await execa(python, args, {
    reject: false,
    stderr: options.logPath ? { file: options.logPath, append: true } : "pipe",
  });
  if (result.failed) {
    throw new FailedError(
      "generate",
      `generation with ${options.adapter ? "the adapter" : "the base model"} failed (exit ${result.exitCode})`,
      {
        hint: options.logPath
          ? `see ${options.logPath}`
          : String(result.stderr).split("\n").slice(-5).join("\n"),
      },
    );
  }
  const text = await readFile(options.out, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Generation);
}

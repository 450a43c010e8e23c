import { execa } from "execa";
import { FailedError } from "../errors/index.js";
import { cannotStart } from "../errors/environment.js";
import { type GenerateJob, generateFlags } from "./generate-job.js";
import { generateScript } from "./paths.js";

/** The local runtime's generation: generate.py as a child process of this one. */
export async function generateLocal(python: string, job: GenerateJob): Promise<void> {
  const result = await execa(python, ["-u", generateScript, ...generateFlags(job)], {
    reject: false,
    stdin: "ignore",
    stderr: { file: job.logPath, append: true },
  });
  if (result.failed)
    throw cannotStart(result) ?? generationFailed(job, `exit ${result.exitCode ?? result.signal}`);
}

export function generationFailed(job: GenerateJob, why: string): FailedError {
  return new FailedError("generate", `generation with the base model and the adapter failed (${why})`, {
    hint: `see ${job.logPath}`,
  });
}

import { execa } from "execa";
import { FailedError } from "../errors/index.js";
import { cannotStart } from "../errors/environment.js";
import { mergeScript } from "./paths.js";

export interface MergeJob {
  /** The base model as the run trained on it: a folder or a hub id. */
  base: string;
  adapter: string;
  /** A folder that does not exist yet; docker/merge.py creates it. */
  out: string;
}

/** docker/merge.py in the trainer's Python: the adapter folded into the base, saved with its tokenizer. */
export async function mergeAdapter(python: string, job: MergeJob): Promise<string[]> {
  const result = await execa(
    python,
    ["-u", mergeScript, "--model", job.base, "--adapter", job.adapter, "--out", job.out],
    { reject: false, stdin: "ignore", env: { PYTHONUNBUFFERED: "1" } },
  );
  if (result.failed) {
    const tail = String(result.stderr).trim().split("\n").slice(-5).join("\n");
    throw (
      cannotStart(result) ??
      new FailedError(
        "merge",
        `merging ${job.adapter} into ${job.base} failed (exit ${result.exitCode ?? result.signal})`,
        {
          hint: `the trainer's Python said:\n${tail}`,
        },
      )
    );
  }
  const summary = JSON.parse(String(result.stdout).trim().split("\n").at(-1)!) as { files: string[] };
  return summary.files;
}

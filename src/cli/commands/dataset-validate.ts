import { assertDatasetFile, renderReport, validateFile, type DatasetFormat } from "../../dataset/index.js";
import { ExitCode, UsageError } from "../../errors/index.js";
import { fileProgress } from "../progress-writer.js";

interface Options {
  format: DatasetFormat;
  eval?: string;
  tokenizer?: string;
  maxTokens: string;
  workers?: string;
  json?: boolean;
}

/** `pipeline dataset validate <files...>`: exit 0 when every row is usable, 1 when any is not. */
export async function datasetValidate(files: string[], options: Options): Promise<number> {
  const maxTokens = Number(options.maxTokens);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new UsageError(
      "invalid-option",
      `--max-tokens must be a positive whole number, got "${options.maxTokens}"`,
    );
  }
  const workers = options.workers === undefined ? undefined : Number(options.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
    throw new UsageError(
      "invalid-option",
      `--workers must be a whole number from 0 to 64, got "${options.workers}"`,
      { hint: "0 checks on the main thread only; leave it out for one worker per core" },
    );
  }
  // Check every path first, so a typo in the last file does not come after minutes of work.
  for (const file of [...files, ...(options.eval ? [options.eval] : [])]) await assertDatasetFile(file);
  let exitCode: number = ExitCode.ok;
  for (const file of files) {
    const progress = fileProgress(file, process.stderr);
    const report = await validateFile(file, {
      format: options.format,
      tokenizer: options.tokenizer,
      maxTokens,
      evalFile: options.eval,
      workers,
      onProgress: (bytes, total) => progress.report("validating", bytes, total),
    }).finally(progress.done);
    process.stdout.write(options.json ? JSON.stringify(report) + "\n" : renderReport(report));
    if (!report.valid) exitCode = ExitCode.failed;
  }
  return exitCode;
}

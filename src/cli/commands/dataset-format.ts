import type { DatasetFormat, ReasoningMode } from "../../dataset/format/index.js";
import { ExitCode } from "../../errors/index.js";
import { fileProgress } from "../progress-writer.js";

interface Options {
  format: string;
  template: string;
  model?: string;
  evalSplit: string;
  seed: string;
  output: string;
  reasoning: string;
  json?: boolean;
}

/** `pipeline dataset format <file> --template … -o <dir>`: validate, then format, or reuse unchanged output. */
export async function datasetFormat(file: string, options: Options): Promise<number> {
  const format = await import("../../dataset/format/index.js");
  const evalFraction = format.parseEvalSplit(options.evalSplit);
  const seed = format.parseSeed(options.seed);
  const template = await format.loadTemplate(
    options.template,
    options.model === undefined ? {} : { modelDir: options.model },
  );
  const reader = await import("../../dataset/index.js");
  const progress = fileProgress(file, process.stderr);
  const outcome = await format
    .formatFile(
      {
        file,
        format: options.format as DatasetFormat,
        template,
        evalFraction,
        seed,
        outDir: options.output,
        reasoning: options.reasoning as ReasoningMode,
        onProgress: progress.report,
      },
      { validateFile: reader.validateFile, readRecords: reader.readRecords },
    )
    .finally(progress.done);
  process.stdout.write(
    options.json
      ? JSON.stringify({ ...outcome.manifest, reused: outcome.reused }) + "\n"
      : format.describeOutcome(outcome, options.output),
  );
  return ExitCode.ok;
}

import { validateFile } from "../../dataset/index.js";
import { stepProgress } from "../../hub/progress.js";
import { FailedError, locate, type Problem } from "../../errors/index.js";
import type { RunConfig } from "../../config/index.js";
import type { Progress, Stage } from "../state.js";
import { checkMethodData } from "./method-data.js";

/** Every dataset file (and eval file) is validated in full before any environment or GPU is touched. */
export async function validateData(
  config: RunConfig,
  progress: Progress,
): Promise<{ rows: number; formats: Record<string, string | null> }> {
  await checkMethodData(config);
  const problems: Problem[] = [];
  const formats: Record<string, string | null> = {};
  let rows = 0;
  for (const dataset of config.datasets) {
    for (const file of [dataset.path, dataset.eval_path].filter((f): f is string => Boolean(f))) {
      progress.output(`validating ${file}`);
      const step = stepProgress(file, progress.output);
      const report = await validateFile(file, {
        format: dataset.format,
        onProgress: (bytes, total) => step("validating", bytes, total),
      });
      rows += report.validRows;
      formats[file] = report.format;
      for (const error of report.errors) {
        problems.push({
          location: locate(file, error.line ?? error.index, error.path),
          message: `${error.message} [${error.code}]`,
        });
      }
    }
  }
  if (problems.length > 0) {
    throw new FailedError(
      "dataset-invalid",
      `the training data has ${problems.length} invalid rows; nothing was trained`,
      {
        problems,
        hint: "`pipeline dataset validate <file>` shows the full report; fix the rows and run again",
      },
    );
  }
  progress.title(`Validate data (${rows} valid rows)`);
  return { rows, formats };
}

export const validateStage: Stage<"validate"> = {
  key: "validate",
  title: "Validate data",
  when: (state) => !state.setup.resume,
  run: (state, progress) => validateData(state.setup.config, progress),
};

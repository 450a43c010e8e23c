import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { isPlainObject } from "./key-path.js";

// s3://…, hf://…, https://… are locations, not relative paths.
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** base_model is a hub id (org/name) unless it is written as a path: ./x, ../x, /x or ~/x. */
export function looksLikePath(value: string): boolean {
  return /^(\.{1,2}|~)?[/\\]/.test(value) || value === "." || value === "..";
}

function absolute(value: string, dir: string): string {
  if (value === "" || URL_LIKE.test(value)) return value;
  if (value === "~" || value.startsWith("~/")) return join(homedir(), value.slice(1));
  return resolve(dir, value);
}

/**
 * Makes the inputs a config points at (base model, datasets, eval suites, a python path) absolute against
 * `dir`, the directory of the file that wrote them. Outputs (runs_dir, checkpoint store, venv_dir) stay
 * relative to the working directory, like the --runs-dir flag. Values of the wrong type are left for the
 * schema to report.
 */
export function resolveInputPaths(config: Record<string, unknown>, dir: string): void {
  const { base_model: model, datasets, eval: evals, runtime, training } = config;
  if (typeof model === "string" && looksLikePath(model)) config.base_model = absolute(model, dir);
  // training.init_adapter is a run id unless written as a path, like base_model.
  if (
    isPlainObject(training) &&
    typeof training.init_adapter === "string" &&
    looksLikePath(training.init_adapter)
  )
    training.init_adapter = absolute(training.init_adapter, dir);
  // eval.compare_to too (the champion).
  if (isPlainObject(evals) && typeof evals.compare_to === "string" && looksLikePath(evals.compare_to))
    evals.compare_to = absolute(evals.compare_to, dir);
  if (Array.isArray(datasets)) {
    for (const dataset of datasets) {
      if (!isPlainObject(dataset)) continue;
      for (const key of ["path", "eval_path"]) {
        const value = dataset[key];
        if (typeof value === "string") dataset[key] = absolute(value, dir);
      }
    }
  }
  if (isPlainObject(evals) && Array.isArray(evals.suites)) {
    evals.suites = evals.suites.map((suite: unknown) =>
      typeof suite === "string" ? absolute(suite, dir) : suite,
    );
  }
  // A bare name (python3) is a command looked up on PATH; anything with a slash is a path.
  if (isPlainObject(runtime) && typeof runtime.python === "string" && /[/\\]/.test(runtime.python)) {
    runtime.python = absolute(runtime.python, dir);
  }
}

import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { showPath } from "./show-path.js";
import { type KeyPath, isPlainObject } from "./key-path.js";
import { type Origins } from "./origins.js";
import { type ProblemList } from "./problems.js";

/** The files a config reads must exist before any work starts: datasets and a local base model. */
export function checkInputFiles(
  config: Record<string, unknown>,
  origins: Origins,
  shown: string,
  problems: ProblemList,
  cwd: string,
): void {
  const report = (path: KeyPath, message: string) =>
    problems.addUnlessClaimed(path, origins.locate(path, shown), message);
  const datasets = Array.isArray(config.datasets) ? config.datasets : [];
  datasets.forEach((dataset: unknown, index) => {
    if (!isPlainObject(dataset)) return;
    for (const key of ["path", "eval_path"]) {
      const file = dataset[key];
      if (typeof file !== "string" || !isAbsolute(file)) continue;
      const kind = kindOf(file);
      if (kind === "missing") report(["datasets", index, key], `file not found: ${showPath(file, cwd)}`);
      if (kind === "directory")
        report(
          ["datasets", index, key],
          `is a directory, expected a JSONL or JSON file: ${showPath(file, cwd)}`,
        );
    }
  });
  const model = config.base_model;
  if (typeof model === "string" && isAbsolute(model) && kindOf(model) !== "directory") {
    report(
      ["base_model"],
      `local model directory not found: ${showPath(model, cwd)} (a hub id is written org/name, without ./)`,
    );
  }
}

function kindOf(file: string): "missing" | "directory" | "file" {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) return "missing";
  return stats.isDirectory() ? "directory" : "file";
}

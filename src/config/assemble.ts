import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Env, interpolateEnv } from "./interpolate.js";
import { type Assembled, mergeLayers } from "./merge.js";
import { type ProblemList } from "./problems.js";
import { resolveInputPaths } from "./resolve-paths.js";
import { showPath } from "./show-path.js";
import { readConfigFile } from "./yaml-file.js";

export interface AssembleContext {
  env: Env;
  cwd: string;
  problems: ProblemList;
}

/**
 * Reads a config file and, through `extends`, the files it builds on; each file's environment
 * references and relative paths are resolved against that file before the merge. Returns undefined when
 * the config cannot be put together (its problems are in `context.problems`).
 */
export async function assembleFile(
  file: string,
  context: AssembleContext,
  chain: string[] = [],
): Promise<Assembled | undefined> {
  const shown = showPath(file, context.cwd);
  const layer = await readConfigFile(file, shown, context.problems);
  if (!layer) return undefined;
  interpolateEnv(layer, context.env, context.problems, shown);
  resolveInputPaths(layer.value, dirname(file));
  const parent = layer.value.extends;
  delete layer.value.extends;
  if (parent === undefined) return layer;

  const where = layer.origins.locate(["extends"], shown);
  if (typeof parent !== "string" || parent === "") {
    context.problems.add(where, "expected the path of another config file, relative to this one");
    return undefined;
  }
  const parentFile = resolve(dirname(file), parent);
  const seen = [...chain, file];
  if (seen.includes(parentFile)) {
    const cycle = [...seen, parentFile].map((f) => showPath(f, context.cwd)).join(" → ");
    context.problems.add(where, `extends cycle: ${cycle}; remove one of these extends`);
    return undefined;
  }
  if (!existsSync(parentFile)) {
    context.problems.add(where, `file not found: ${showPath(parentFile, context.cwd)}`);
    return undefined;
  }
  const base = await assembleFile(parentFile, context, seen);
  return base && mergeLayers(base, layer);
}

import { resolve } from "node:path";
import { ConfigError } from "../errors/index.js";
import { assembleFile } from "./assemble.js";
import { checkInputFiles } from "./check-files.js";
import { configHash } from "./hash.js";
import { type Env } from "./interpolate.js";
import { reportIssues } from "./issues.js";
import { ProblemList } from "./problems.js";
import { resolveInputPaths } from "./resolve-paths.js";
import { RunConfig } from "./schema.js";
import { applyOverrides } from "./set-overrides.js";
import { showPath } from "./show-path.js";

export interface LoadOptions {
  /** `key.path=value` overrides, applied after `extends`. */
  set?: readonly string[];
  /** Environment for `${VAR}` references; default process.env. */
  env?: Env;
  /** Check that dataset files and a local base model exist; default true. */
  checkFiles?: boolean;
  /** Directory that relative config paths and `--set` paths are read against; default process.cwd(). */
  cwd?: string;
}

export interface LoadedConfig {
  config: RunConfig;
  /** The config file, absolute. */
  file: string;
  /** sha256 of the resolved config. */
  hash: string;
}

/**
 * Loads a run config: YAML → extends → ${ENV} → --set → strict schema → file checks. Every problem found
 * is collected and thrown as one ConfigError, each with its `file:line › key.path`.
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const shown = showPath(path, cwd);
  const problems = new ProblemList();
  const assembled = await assembleFile(path, { env: options.env ?? process.env, cwd, problems });
  if (!assembled) throw invalidConfig(shown, problems);

  applyOverrides(assembled, options.set ?? [], problems);
  resolveInputPaths(assembled.value, cwd);
  const result = RunConfig.safeParse(assembled.value, { reportInput: true });
  if (!result.success) reportIssues(result.error.issues, assembled.origins, shown, problems);
  if (options.checkFiles !== false) checkInputFiles(assembled.value, assembled.origins, shown, problems, cwd);
  if (!result.success || problems.size > 0) throw invalidConfig(shown, problems);
  return { config: result.data, file: path, hash: configHash(result.data) };
}

function invalidConfig(shown: string, problems: ProblemList): ConfigError {
  const count = problems.size === 1 ? "1 problem" : `${problems.size} problems`;
  return new ConfigError("invalid-config", `${shown} is not a valid run config (${count})`, {
    problems: problems.items,
    hint: "fix each key listed above; `pipeline config schema` describes every key, its type and default",
  });
}

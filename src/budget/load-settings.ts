import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Env,
  ProblemList,
  interpolateEnv,
  readConfigFile,
  reportIssues,
  showPath,
} from "../config/index.js";
import { ConfigError } from "../errors/index.js";
import { WORKSPACE_ENV, WORKSPACE_FILE, WorkspaceSettings, workspaceKeysAt } from "./schema.js";

export interface LoadWorkspaceOptions {
  /** Environment for `${VAR}` references and PIPELINE_WORKSPACE_CONFIG; default process.env. */
  env?: Env;
  /** Directory the file is looked up in; default process.cwd(). */
  cwd?: string;
}

export interface LoadedWorkspace {
  settings: WorkspaceSettings;
  /** The file read, absolute; undefined when there is none and the defaults apply. */
  file: string | undefined;
}

/**
 * Loads the workspace settings: PIPELINE_WORKSPACE_CONFIG names the file, else ./pipeline.workspace.yaml.
 * No file at the default place means the defaults; a file named by the variable must exist. Read like a
 * run config (YAML with lines, ${VAR} and ${VAR:-default}, strict schema); every problem is thrown
 * together as one ConfigError (exit 2).
 */
export async function loadWorkspaceSettings(options: LoadWorkspaceOptions = {}): Promise<LoadedWorkspace> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = env[WORKSPACE_ENV];
  const file = resolve(cwd, named || WORKSPACE_FILE);
  if (!named && !existsSync(file)) return { settings: WorkspaceSettings.parse({}), file: undefined };

  const shown = showPath(file, cwd);
  const problems = new ProblemList();
  const layer = await readConfigFile(file, shown, problems, { emptyIsMapping: true });
  if (!layer) throw invalidWorkspace(shown, problems, named);
  interpolateEnv(layer, env, problems, shown);
  const result = WorkspaceSettings.safeParse(layer.value, { reportInput: true });
  if (!result.success) reportIssues(result.error.issues, layer.origins, shown, problems, workspaceKeysAt);
  if (!result.success || problems.size > 0) throw invalidWorkspace(shown, problems, named);
  return { settings: result.data, file };
}

function invalidWorkspace(shown: string, problems: ProblemList, named: string | undefined): ConfigError {
  const count = problems.size === 1 ? "1 problem" : `${problems.size} problems`;
  const from = named ? ` (named by ${WORKSPACE_ENV})` : "";
  return new ConfigError("invalid-workspace", `${shown}${from} is not valid workspace settings (${count})`, {
    problems: problems.items,
    hint: "fix each key listed above; schema/workspace.schema.json describes every key, its type and default",
  });
}

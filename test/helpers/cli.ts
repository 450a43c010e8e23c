import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");
export const realDatasets = join(root, "../shared/real-datasets/llamafactory");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `pipeline` binary (test/global-setup.ts builds it once). */
export function pipeline(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [join(root, "bin/pipeline.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    ...options,
  });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** No stack frames in what a user sees. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(text) || /^\s+at .+:\d+:\d+$/m.test(text);
}

/** `pipeline eval` of an adapter on the built-in tiny base, on the CPU, against one suite file. */
export const tinyEvalArgs = (adapter: string, suite: string) => [
  "eval",
  "--base",
  "builtin:tiny",
  "--adapter",
  adapter,
  "--suite",
  suite,
  "--device",
  "cpu",
];

import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { defaultVenvDir } from "../../src/launch/index.js";
import { root, type CliResult } from "./cli.js";

/** Every file under a folder (recursively), for checks such as "the token is in none of them". */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The trainer's Python (the managed venv the runs use, or PIPELINE_PYTHON). */
export function venvPython(): string {
  return process.env.PIPELINE_PYTHON ?? join(defaultVenvDir(), "bin", "python");
}

/** Runs Python lines in the trainer's venv with extra environment (never against the in-process Hub). */
export function python(lines: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(venvPython(), ["-c", lines.join("\n")], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * Runs the built `pipeline` binary without blocking this process: the loopback Hub runs in the test's own
 * event loop, which spawnSync would freeze.
 */
export function pipelineAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [join(root, "bin/pipeline.js"), ...args], {
    cwd: options.cwd ?? root,
    env: options.env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** Python lines in the trainer's venv, run without blocking this process (for calls to the in-process Hub). */
export function pythonAsync(lines: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(venvPython(), ["-c", lines.join("\n")], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

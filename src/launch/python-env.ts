import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { execa } from "execa";
import { FailedError, UsageError } from "../errors/index.js";
import { cacheDir, makeVenvScript, requirementsFile } from "./paths.js";

/**
 * The project-managed Python environment the local runtime runs the trainer in. Keyed by the hash of
 * docker/requirements.txt, so a change of pins makes a new venv and never mutates one in use.
 * A `.ready` marker is written last: a venv interrupted half-way is rebuilt, not trusted.
 */
export interface PythonEnvOptions {
  /** Use this interpreter as it is (e.g. a GPU box's system Python); nothing is installed. */
  python?: string | undefined;
  /** Where to create the managed venv; default: <cache>/venvs/<requirements hash>. */
  venvDir?: string | undefined;
  /** What the venv holds; default the trainer's docker/requirements.txt (tracking has its own, made on demand). */
  requirements?: string | undefined;
  /** Progress lines (pip's output) while creating. */
  onProgress?: (line: string) => void;
}

export function requirementsHash(file = requirementsFile): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 12);
}

/** <cache>/venvs/<hash>, or <cache>/venvs/<name>-<hash> for requirements-<name>.txt. */
export function defaultVenvDir(file = requirementsFile): string {
  const name = file === requirementsFile ? "" : `${basename(file, ".txt").replace(/^requirements-/, "")}-`;
  return join(cacheDir(), "venvs", name + requirementsHash(file));
}

export function venvPython(venvDir: string): string {
  return join(venvDir, "bin", "python");
}

/**
 * Complete, with its bytecode compiled: scripts/make_venv.py writes "<hash> compiled" last. A venv marked with
 * the hash alone (made before bytecode was compiled at install) goes back to make_venv.py, which compiles it.
 */
export function isVenvReady(venvDir: string, file = requirementsFile): boolean {
  const marker = join(venvDir, ".ready");
  return existsSync(marker) && readFileSync(marker, "utf8").trim() === `${requirementsHash(file)} compiled`;
}

/** Returns the python executable to run the trainer with, creating the managed venv when needed. */
export async function ensurePython(options: PythonEnvOptions = {}): Promise<string> {
  if (options.python) return options.python;
  const requirements = options.requirements ?? requirementsFile;
  const venvDir = options.venvDir ?? defaultVenvDir(requirements);
  if (isVenvReady(venvDir, requirements)) return venvPython(venvDir);
  await createVenv(venvDir, requirements, options.onProgress ?? (() => {}));
  return venvPython(venvDir);
}

async function createVenv(venvDir: string, requirements: string, onProgress: (line: string) => void) {
  // scripts/make_venv.py makes it (uv, else pip; a lock against a second maker); quickstart.sh runs it too.
  const basePython = process.env.PIPELINE_BASE_PYTHON ?? "python3";
  onProgress(`creating ${venvDir}`);
  const args = [makeVenvScript, "--dir", venvDir, "--requirements", requirements];
  await step(basePython, args, onProgress, `making the Python venv of ${basename(requirements)} failed`);
}

async function step(file: string, args: string[], onProgress: (line: string) => void, what: string) {
  const child = execa(file, args, { all: true, reject: false, lines: false, buffer: { all: true } });
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) onProgress(line.trim());
  });
  const result = await child;
  if (result.failed) {
    if ((result as { code?: string }).code === "ENOENT") {
      throw new UsageError("python-missing", `${file} was not found`, {
        hint: "install Python 3.10+ (with venv), or set runtime.python in the config to an interpreter that has torch, transformers and peft",
      });
    }
    const tail = String(result.all ?? "")
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new FailedError("python-env", `${what} (exit ${result.exitCode})`, {
      hint: `the last lines were:\n${tail}\nfix the cause and run again; the half-made venv will be rebuilt`,
    });
  }
}

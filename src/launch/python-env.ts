import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { execa } from "execa";
import { FailedError, UsageError } from "../errors/index.js";
import { cacheDir, requirementsFile } from "./paths.js";
import { waitForLock } from "./pid-lock.js";

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
  /** What the venv holds; default the trainer's docker/requirements.txt (tracking has its own, installed on demand). */
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

export function isVenvReady(venvDir: string, file = requirementsFile): boolean {
  const marker = join(venvDir, ".ready");
  return existsSync(marker) && readFileSync(marker, "utf8").trim() === requirementsHash(file);
}

/** Returns the python executable to run the trainer with, creating the managed venv when needed. */
export async function ensurePython(options: PythonEnvOptions = {}): Promise<string> {
  if (options.python) return options.python;
  const requirements = options.requirements ?? requirementsFile;
  const venvDir = options.venvDir ?? defaultVenvDir(requirements);
  if (isVenvReady(venvDir, requirements)) return venvPython(venvDir);
  const onProgress = options.onProgress ?? (() => {});
  // Two runs (or workers) starting at once on a fresh machine: one makes the venv, the other waits for it.
  await mkdir(dirname(venvDir), { recursive: true });
  const release = await waitForLock(`${venvDir}.lock`, (pid) =>
    onProgress(`waiting for process ${pid}, which is making ${venvDir}`),
  );
  try {
    if (!isVenvReady(venvDir, requirements)) await createVenv(venvDir, requirements, onProgress);
  } finally {
    release();
  }
  return venvPython(venvDir);
}

async function createVenv(venvDir: string, requirements: string, onProgress: (line: string) => void) {
  const basePython = process.env.PIPELINE_BASE_PYTHON ?? "python3";
  await rm(venvDir, { recursive: true, force: true });
  await mkdir(venvDir, { recursive: true });
  onProgress(`creating ${venvDir}`);
  await step(basePython, ["-m", "venv", venvDir], onProgress, `${basePython} -m venv failed`);
  const pip = [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--progress-bar",
    "off",
    "-r",
    requirements,
  ];
  await step(
    venvPython(venvDir),
    pip,
    onProgress,
    `installing the Python packages of ${basename(requirements)} failed`,
  );
  await writeFile(join(venvDir, ".ready"), requirementsHash(requirements) + "\n");
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

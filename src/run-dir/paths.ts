import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";

/**
 * The run directory contract (DESIGN.md §5): everything of a run, and never a secret. The one place its
 * file names are spelled; the queue, the report and the CLI reach a run's files through these paths.
 */
export interface RunPaths {
  id: string;
  dir: string;
  record: string;
  resolvedConfig: string;
  spec: string;
  events: string;
  trainerLog: string;
  data: string;
  checkpoints: string;
  adapter: string;
  /** The adapter the run started from (training.init_adapter), copied in. */
  initAdapter: string;
  eval: string;
  report: { json: string; markdown: string; html: string };
  lock: string;
}

/** The paths of the run in `dir` (its id is the folder's name). */
export function runDirPaths(dir: string): RunPaths {
  const at = (name: string) => join(dir, name);
  return {
    id: basename(dir),
    dir,
    record: at("run.json"),
    resolvedConfig: at("config.resolved.yaml"),
    spec: at("spec.json"),
    events: at("events.jsonl"),
    trainerLog: at("trainer.log"),
    data: at("data"),
    checkpoints: at("checkpoints"),
    adapter: at("adapter"),
    initAdapter: at("init-adapter"),
    eval: at("eval"),
    report: { json: at("report.json"), markdown: at("report.md"), html: at("report.html") },
    lock: at("run.lock"),
  };
}

export const runPaths = (runsDir: string, id: string): RunPaths => runDirPaths(resolve(runsDir, id));

/** The files of a PEFT adapter that make it one: what an init adapter is checked for, copied and hashed. */
export const ADAPTER_FILES = ["adapter_config.json", "adapter_model.safetensors"] as const;

/** The files of a run's report, as `report/` writes them and the store uploads them. */
export const REPORT_FILES = ["report.json", "report.md", "report.html"] as const;

export function newRunId(configFile: string, now = new Date()): string {
  const name = basename(configFile, extname(configFile)).replace(/[^A-Za-z0-9_-]/g, "-");
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${name}-${stamp}-${randomBytes(2).toString("hex")}`;
}

export async function createRunDir(paths: RunPaths): Promise<void> {
  for (const dir of [paths.dir, paths.data, paths.checkpoints, paths.eval])
    await mkdir(dir, { recursive: true });
}

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile, rename } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { UsageError } from "../errors/index.js";

/** The run directory contract (DESIGN.md §5): everything of a run, and never a secret. */
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
  eval: string;
}

export type RunStatus = "running" | "done" | "failed" | "interrupted";

export interface RunRecord {
  id: string;
  config: string;
  configHash: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  baseModel: string;
  /** The commit sha a hub base model resolved to. */
  baseModelRevision?: string;
  runtime: string;
  /** The trainer image's tag and id, for the docker runtime. */
  image?: string;
  imageId?: string;
  step?: number;
  totalSteps?: number;
  trainLoss?: number;
  evalLoss?: number | null;
  message?: string;
}

export function newRunId(configFile: string, now = new Date()): string {
  const name = basename(configFile, extname(configFile)).replace(/[^A-Za-z0-9_-]/g, "-");
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${name}-${stamp}-${randomBytes(2).toString("hex")}`;
}

export function runPaths(runsDir: string, id: string): RunPaths {
  const dir = resolve(runsDir, id);
  return {
    id,
    dir,
    record: join(dir, "run.json"),
    resolvedConfig: join(dir, "config.resolved.yaml"),
    spec: join(dir, "spec.json"),
    events: join(dir, "events.jsonl"),
    trainerLog: join(dir, "trainer.log"),
    data: join(dir, "data"),
    checkpoints: join(dir, "checkpoints"),
    adapter: join(dir, "adapter"),
    eval: join(dir, "eval"),
  };
}

export async function createRunDir(paths: RunPaths): Promise<void> {
  for (const dir of [paths.dir, paths.data, paths.checkpoints, paths.eval])
    await mkdir(dir, { recursive: true });
}

/** Written through a temporary file, so a crash never leaves a half-written run.json. */
export async function writeRecord(paths: RunPaths, record: RunRecord): Promise<void> {
  const tmp = `${paths.record}.tmp`;
  await writeFile(tmp, JSON.stringify({ ...record, updatedAt: new Date().toISOString() }, null, 2) + "\n");
  await rename(tmp, paths.record);
}

export async function readRecord(runsDir: string, id: string): Promise<RunRecord> {
  const paths = runPaths(runsDir, id);
  if (!existsSync(paths.record)) {
    throw new UsageError("run-not-found", `no run "${id}" in ${resolve(runsDir)}`, {
      hint: "`pipeline runs list` shows the runs there; pass --runs-dir if they live elsewhere",
    });
  }
  return JSON.parse(await readFile(paths.record, "utf8")) as RunRecord;
}

export async function listRecords(runsDir: string): Promise<RunRecord[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const records: RunRecord[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !existsSync(join(runsDir, entry.name, "run.json"))) continue;
    records.push(await readRecord(runsDir, entry.name));
  }
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

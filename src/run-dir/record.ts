import { existsSync } from "node:fs";
import { readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { UsageError, messageOf } from "../errors/index.js";
import { runDirPaths, runPaths, type RunPaths } from "./paths.js";

export const RunStatus = z.enum(["running", "done", "failed", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatus>;

/** run.json: what a run is and where it stands. Written by `pipeline run`, read by the queue and the CLI. */
export const RunRecord = z.object({
  id: z.string(),
  config: z.string(),
  configHash: z.string(),
  status: RunStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  baseModel: z.string(),
  /** The commit sha a hub base model resolved to. */
  baseModelRevision: z.string().optional(),
  runtime: z.string(),
  /** Where training ran, in words (the runtime's placement), and where evaluation generated. */
  trainedOn: z.string().optional(),
  evaluatedOn: z.string().optional(),
  /** The GPU indices the trainer used; [] on the CPU. */
  gpus: z.array(z.int()).optional(),
  /** The trainer image's tag and id, for container runtimes. */
  image: z.string().optional(),
  imageId: z.string().optional(),
  step: z.int().optional(),
  totalSteps: z.int().optional(),
  trainLoss: z.number().optional(),
  evalLoss: z.number().nullable().optional(),
  message: z.string().optional(),
  /** training.init_adapter: what it named, and the sha256 of the copy in init-adapter/. */
  initAdapter: z.object({ source: z.string(), sha256: z.record(z.string(), z.string()) }).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** Written through a temporary file, so a crash never leaves a half-written run.json. */
export async function writeRecord(paths: RunPaths, record: RunRecord): Promise<void> {
  const tmp = `${paths.record}.tmp`;
  const valid = RunRecord.parse({ ...record, updatedAt: new Date().toISOString() });
  await writeFile(tmp, JSON.stringify(valid, null, 2) + "\n");
  await rename(tmp, paths.record);
}

export async function readRecord(runsDir: string, id: string): Promise<RunRecord> {
  const paths = runPaths(runsDir, id);
  if (!existsSync(paths.record)) {
    throw new UsageError("run-not-found", `no run "${id}" in ${resolve(runsDir)}`, {
      hint: "`pipeline runs list` shows the runs there; pass --runs-dir if they live elsewhere",
    });
  }
  return readRecordFile(paths.record);
}

/** A run.json that is not one (edited by hand, from another tool) is named, not a crash. */
export async function readRecordFile(file: string): Promise<RunRecord> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError("bad-run-record", `${file} is not valid JSON (${messageOf(error)})`);
  }
  const parsed = RunRecord.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  throw new UsageError("bad-run-record", `${file} › ${first.path.join(".")}: ${first.message}`, {
    hint: "run.json is written by pipeline run; restore it from the store or remove the run directory",
  });
}

export async function listRecords(runsDir: string): Promise<RunRecord[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const records: RunRecord[] = [];
  for (const entry of entries) {
    const paths = runDirPaths(join(resolve(runsDir), entry.name));
    if (!entry.isDirectory() || !existsSync(paths.record)) continue;
    records.push(await readRecordFile(paths.record));
  }
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

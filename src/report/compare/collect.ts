import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { readEvents, readRecord, runPaths } from "../../run-dir/index.js";
import { configParams } from "../../tracking/params.js";
import type { Report, Training } from "../schema.js";
import { summarizeTraining } from "../training-summary.js";
import { readReport } from "../write-report.js";

/** What a comparison needs of one run: its config as flat (redacted) keys, its training, its report. */
export interface ComparedRun {
  id: string;
  status: string;
  params: Record<string, string>;
  training: Training | null;
  report: Report | undefined;
}

export async function collectRun(runsDir: string, id: string): Promise<ComparedRun> {
  const record = await readRecord(runsDir, id);
  const paths = runPaths(runsDir, id);
  const config = existsSync(paths.resolvedConfig)
    ? (parse(await readFile(paths.resolvedConfig, "utf8")) as object)
    : {};
  const report = existsSync(join(paths.dir, "report.json")) ? await readReport(paths.dir) : undefined;
  return {
    id,
    status: report?.outcome.status ?? record.status,
    params: configParams(config ?? {}),
    // A run still training (or killed before its report) is compared on what its events say so far.
    training: report ? report.training : summarizeTraining(await readEvents(paths.events)),
    report,
  };
}

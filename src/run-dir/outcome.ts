import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { runDirPaths } from "./paths.js";

// The part of report.json (src/report/schema.ts) that says how the run ended.
const ReportOutcome = z.object({ outcome: z.object({ status: z.string() }) });

/** How a run ended by its report ("passed", "gates-failed", "failed", …), or undefined without one. */
export function readOutcome(runDir: string): string | undefined {
  const file = runDirPaths(runDir).report.json;
  if (!existsSync(file)) return undefined;
  try {
    const parsed = ReportOutcome.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data.outcome.status : undefined;
  } catch {
    return undefined;
  }
}

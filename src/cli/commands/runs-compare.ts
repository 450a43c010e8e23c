import { writeFile } from "node:fs/promises";
import { UsageError } from "../../errors/index.js";
import {
  collectRun,
  compareRuns,
  renderComparisonHtml,
  renderComparisonText,
} from "../../report/compare/index.js";

/** `pipeline runs compare <run-id> <run-id>…`: config differences and metrics side by side. */
export async function runsCompare(
  ids: string[],
  options: { runsDir: string; html?: string; json?: boolean },
): Promise<number> {
  if (ids.length < 2) {
    throw new UsageError("compare-needs-runs", "pipeline runs compare needs two or more run ids", {
      hint: "`pipeline runs list` shows the runs; e.g. pipeline runs compare <run-id> <run-id>",
    });
  }
  const runs = [];
  for (const id of ids) runs.push(await collectRun(options.runsDir, id));
  const comparison = compareRuns(runs);
  process.stdout.write(options.json ? JSON.stringify(comparison) + "\n" : renderComparisonText(comparison));
  if (options.html) {
    await writeFile(options.html, renderComparisonHtml(comparison, runs));
    if (!options.json) process.stdout.write(`wrote ${options.html}\n`);
  }
  return 0;
}

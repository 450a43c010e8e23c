import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../errors/index.js";
import { runPaths } from "../../run-dir/index.js";
import { openFile, readReport, renderReport, reportFiles } from "../../report/index.js";

/** `pipeline report <run-id>`: renders report.md and report.html again from the run's report.json. */
export async function report(id: string, options: { runsDir: string; open?: boolean }): Promise<number> {
  const { dir } = runPaths(options.runsDir, id);
  if (!existsSync(dir)) {
    throw new UsageError("run-not-found", `no run "${id}" in ${resolve(options.runsDir)}`, {
      hint: "`pipeline runs list` shows the runs there; pass --runs-dir if they live elsewhere",
    });
  }
  const files = reportFiles(dir);
  await renderReport(files, await readReport(dir));
  process.stdout.write(`wrote ${files.markdown}\nwrote ${files.html}\n`);
  if (options.open && !(await openFile(files.html))) {
    process.stdout.write(`no viewer found (xdg-open/open); open ${files.html} in a browser\n`);
  }
  return 0;
}

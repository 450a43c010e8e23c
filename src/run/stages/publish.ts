import { publishRun } from "../../hub/index.js";
import { readReport } from "../../report/index.js";
import type { RunState } from "../state.js";

/**
 * The config's `publish:` block, applied once the report is written: only a run whose gates all passed is
 * published. A failed upload ends the command with its error; the run directory is kept as it is, and
 * `pipeline publish <run-id>` tries again.
 */
export async function publishAfterRun(state: RunState): Promise<void> {
  const { config, paths } = state.setup;
  const target = config.publish;
  if (!target || !state.get("report")) return;
  const report = await readReport(paths.dir);
  if (report.outcome.status !== "passed") {
    process.stderr.write(
      `not published to ${target.repo}: the run did not pass (${report.outcome.status})\n`,
    );
    return;
  }
  const result = await publishRun(paths.dir, { repo: target.repo, private: target.private, force: false });
  const what = result.commit ? `commit ${result.commit}` : "already there, nothing to commit";
  process.stderr.write(`published the adapter and model card to ${result.url} (${what})\n`);
}

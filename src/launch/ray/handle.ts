import { join } from "node:path";
import type { RunConfig } from "../../config/index.js";
import type { TrainerEvent } from "../../run-dir/index.js";
import { eventsFromLines } from "../event-lines.js";
import type { TrainerHandle } from "../runtime.js";
import { jobExit } from "./exit.js";
import { followJob } from "./follow.js";
import type { RayJobsApi } from "./jobs-api.js";
import { pullFolder } from "./store.js";

/**
 * A submitted job as a TrainerHandle: its log's event lines (other lines go to the trainer log), its end as the
 * trainer's exit, cancel as `POST /api/jobs/<id>/stop` (SIGTERM to the driver, which stops every node after a
 * checkpoint; Ray waits RAY_JOB_STOP_WAIT_TIME_S before SIGKILL). On `done` the adapter the trainer wrote to
 * the store is pulled into the run directory, so evaluation and the report find it where they always do.
 */
export function jobHandle(
  api: RayJobsApi,
  id: string,
  run: { runId: string; runDir: string; logPath: string; checkpoints: RunConfig["checkpoints"] },
): TrainerHandle {
  const followed = followJob(api, id);
  let ended = false;
  void followed.ended.then(() => (ended = true)).catch(() => (ended = true));
  async function* events(): AsyncGenerator<TrainerEvent> {
    for await (const event of eventsFromLines(followed.lines, run.logPath)) {
      if (event.type !== "done") {
        yield event;
        continue;
      }
      const local = join(run.runDir, "adapter");
      await pullFolder(run.checkpoints, run.runId, "adapter", local);
      yield { ...event, adapter_path: local };
    }
  }
  return {
    events: events(),
    wait: async () => jobExit(await followed.ended),
    async cancel() {
      if (ended) return;
      await api.stop(id);
      await followed.ended.catch(() => undefined);
    },
  };
}

import { JOB_STATES, requeueExpired, takeSnapshot, type WorkerSnapshot } from "../../queue/index.js";
import { statusSpend } from "../queue/hooks.js";
import { withDb } from "../queue/open.js";

/** `pipeline status`: queue counts, running jobs with their step and loss, live workers, GPUs, spend. */
export async function status(options: { db?: string; json?: boolean }): Promise<number> {
  return withDb(options.db, async (db) => {
    const now = Date.now();
    requeueExpired(db, now);
    const snapshot = takeSnapshot(db, now);
    const spend = await statusSpend(db, now);
    if (options.json) {
      process.stdout.write(JSON.stringify({ ...snapshot, spend: spend?.json ?? null }, null, 2) + "\n");
      return 0;
    }
    process.stdout.write([...lines(snapshot), ...(spend?.lines ?? [])].join("\n") + "\n");
    return 0;
  });
}

function lines(s: WorkerSnapshot): string[] {
  const out = [`queue     ${JOB_STATES.map((state) => `${state} ${s.jobsByState[state]}`).join(" · ")}`];
  for (const job of s.running) {
    const step =
      job.step === null ? "starting" : `step ${job.step}${job.totalSteps ? `/${job.totalSteps}` : ""}`;
    const loss = job.loss === null ? "" : `  loss ${job.loss.toFixed(4)}`;
    const gpus = job.assignedGpus ? `  GPUs ${job.assignedGpus}` : "";
    out.push(`running   ${job.id}  ${job.runId ?? "-"}  ${step}${loss}  on ${job.worker}${gpus}`);
  }
  const workers = s.workers.map((w) => `${w.id} (${w.gpus ? `GPUs ${w.gpus}, ${w.deviceType}` : "cpu"})`);
  out.push(`workers   ${s.workers.length} alive${workers.length ? `: ${workers.join(", ")}` : ""}`);
  out.push(`GPUs      ${s.gpus.inUse} in use / ${s.gpus.total}`);
  out.push(`device-h  ${s.deviceHours.total.toFixed(3)}`);
  return out;
}

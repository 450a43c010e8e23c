import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrackingPlan } from "../settings.js";
import { type Channel, type Log, runFiles } from "../channel.js";
import { Feeder } from "../feeder.js";
import { resultTags, resultValues } from "../metrics.js";
import { type StateWriter, newWandbId } from "../state.js";
import { trackingPython } from "./python.js";
import { LocalSink, type LocalWriters } from "./sidecar.js";

export interface LocalChannelOptions {
  plan: TrackingPlan;
  runId: string;
  runDir: string;
  eventsFile: string;
  params: Record<string, string>;
  state: StateWriter;
  log: Log & { progress: (line: string) => void };
}

/** TensorBoard (<run dir>/tensorboard) and W&B (<run dir>/wandb), one writer process for both. */
export async function localChannel(options: LocalChannelOptions): Promise<Channel> {
  const { plan, state, runDir } = options;
  const wandbId = state.state.local?.wandb_id ?? newWandbId();
  const writers: LocalWriters = {};
  if (plan.tensorboard) writers.tensorboard = { dir: join(runDir, "tensorboard") };
  if (plan.wandb) writers.wandb = { ...plan.wandb, id: wandbId, dir: runDir, name: options.runId };
  const sink = await LocalSink.start({
    python: await trackingPython(options.log.progress),
    logFile: join(runDir, "tracking.log"),
    writers,
    params: options.params,
  });
  await state.update((s) => (s.local = { wandb_id: wandbId, sent: s.local?.sent ?? 0 }));
  const feeder = new Feeder(sink, {
    eventsFile: options.eventsFile,
    sent: state.state.local?.sent ?? 0,
    onSent: (sent) => void state.update((s) => s.local && (s.local.sent = sent)),
    warn: options.log.warn,
    info: options.log.info,
    lingerMs: 200,
  });
  return {
    label: sink.label,
    feeder,
    async finish(report, status, deadline) {
      try {
        const files = runFiles(runDir)
          .map((file) => file.path)
          .filter((path) => existsSync(path) && (path.endsWith(".html") || path.endsWith("README.md")));
        const summary = report
          ? { values: resultValues(report), tags: resultTags(report) }
          : { values: {}, tags: {} };
        await sink.finish({ ...summary, files });
      } finally {
        await sink.close(status !== "done", Math.max(10_000, deadline - Date.now()));
      }
      await state.update((s) => s.local && (s.local.finished = true));
    },
  };
}

import { existsSync } from "node:fs";
import { type Channel, type Log, runFiles } from "../channel.js";
import { Feeder, LIVE_POLICY, SinkError, retrying } from "../feeder.js";
import { resultTags, resultValues } from "../metrics.js";
import type { StateWriter } from "../state.js";
import { MlflowClient } from "./client.js";
import { MlflowSink } from "./sink.js";
import { messageOf } from "../../errors/index.js";

const STATUS = { done: "FINISHED", failed: "FAILED", interrupted: "KILLED" } as const;

export interface MlflowChannelOptions {
  uri: string;
  experiment: string;
  runId: string;
  runDir: string;
  eventsFile: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  state: StateWriter;
  log: Log;
  env?: NodeJS.ProcessEnv;
}

/**
 * MLflow for one run. The server is tried once at the start (at most 5 s) so that an unreachable one is named
 * before training, which goes on either way; the feeder keeps trying it.
 */
export async function mlflowChannel(options: MlflowChannelOptions): Promise<Channel> {
  const { state, log } = options;
  // Another server than the one tracking.json names (the workspace moved): a new MLflow run there.
  if (state.state.mlflow && state.state.mlflow.uri !== options.uri)
    await state.update((s) => delete s.mlflow);
  const client = new MlflowClient(options.uri, options.env);
  const sink = new MlflowSink(client, {
    experiment: options.experiment,
    runName: options.runId,
    params: options.params,
    tags: options.tags,
    state,
    info: log.info,
  });
  const feeder = new Feeder(sink, {
    eventsFile: options.eventsFile,
    sent: state.state.mlflow?.sent ?? 0,
    onSent: (sent) => void state.update((s) => s.mlflow && (s.mlflow.sent = sent)),
    warn: log.warn,
    info: log.info,
  });
  // Opening the run answered: the system was reached in this run, so the run's end waits for it (the full
  // PIPELINE_TRACKING_FINISH_S) even when it goes down before any event is sent.
  const opened = sink.open().then(() => {
    feeder.everReached = true;
  });
  const slow = new Promise<SinkError>((resolve) =>
    setTimeout(() => resolve(new SinkError("no answer within 5 s", false)), 5000).unref(),
  );
  const problem = await Promise.race([opened.catch((error: unknown) => error), slow]);
  if (problem) feeder.fail(problem);
  return {
    label: sink.label,
    feeder,
    async finish(report, status, deadline, onWait) {
      const files = runFiles(options.runDir).filter((file) => existsSync(file.path));
      const result = {
        step: report?.training?.steps ?? 0,
        time: report ? Date.parse(report.finished_at) / 1000 : Date.now() / 1000,
        values: report ? resultValues(report) : {},
        tags: report ? resultTags(report) : { outcome: status },
        files,
        status: STATUS[status],
      };
      // Until the deadline, not LIVE_POLICY's few attempts: a server restarting while the run evaluated (no
      // event to send then, so not known to be down) is waited for like one that missed events.
      const attempt = () =>
        sink.finish(result).catch((error: unknown) => {
          if (!(error instanceof SinkError && error.permanent)) onWait?.(messageOf(error));
          throw error;
        });
      await retrying(
        attempt,
        { ...LIVE_POLICY, attempts: Infinity, maxElapsedMs: deadline - Date.now() },
        deadline,
      );
      await state.update((s) => s.mlflow && (s.mlflow.finished = true));
    },
  };
}

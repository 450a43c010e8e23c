import { join } from "node:path";
import type { RunConfig } from "../config/index.js";
import type { TrainerEvent } from "../launch/index.js";
import { type Report, readReport } from "../report/index.js";
import { readEvents } from "../run-dir/index.js";
import type { Channel, Log, RunStatus } from "./channel.js";
import { localChannel } from "./local/channel.js";
import { mlflowChannel } from "./mlflow/channel.js";
import { configParams } from "./params.js";
import { type RunFacts, runTags } from "./run-tags.js";
import { trackingPlan } from "./settings.js";
import { StateWriter, readState } from "./state.js";
import { messageOf } from "../errors/index.js";

export interface TrackerInputs extends RunFacts {
  runDir: string;
  /** The resolved config, with the workspace's tracking defaults merged in. */
  config: RunConfig;
  log: Log & { progress: (line: string) => void };
  env?: NodeJS.ProcessEnv;
  /** `pipeline runs sync`: only the systems that did not get the whole run. */
  sync?: boolean;
}

export interface Tracker {
  /** Where the run is tracked, for the task title: "MLflow at …, TensorBoard and W&B". */
  readonly systems: string[];
  /** Every trainer event, in order, as it is appended to events.jsonl; never waits. */
  onEvent(event: TrainerEvent): void;
  /**
   * After the report: what the systems still miss, the results, the files, the run's status. Never throws;
   * true when every system now has the whole run.
   */
  finish(status: RunStatus): Promise<boolean>;
}

/** How long a run's end waits for tracking systems that answered during the run (a down one gets 5 s). */
const FINISH_MS = Number(process.env.PIPELINE_TRACKING_FINISH_S ?? 60) * 1000;

/**
 * Starts tracking a run (a fresh one, or a resumed one: the same tracking runs, from tracking.json); undefined
 * when the config tracks nothing. A system that cannot start is a warning: tracking is never worth a lost run.
 */
export async function startTracking(inputs: TrackerInputs): Promise<Tracker | undefined> {
  const plan = trackingPlan(inputs.config.tracking);
  if (!plan) return undefined;
  const { runDir, log } = inputs;
  const eventsFile = join(runDir, "events.jsonl");
  const state = new StateWriter(runDir, await readState(runDir));
  const params = configParams(inputs.config, inputs.env);
  const common = { runId: inputs.runId, runDir, eventsFile, params, state, log };
  const channels: Channel[] = [];
  const done = (system: "mlflow" | "local") => inputs.sync && state.state[system]?.finished === true;
  // A run (a resumed one too) has more to send: no system has the whole of it until its finish succeeds.
  if (!inputs.sync) {
    await state.update((s) => {
      if (s.mlflow) s.mlflow.finished = false;
      if (s.local) s.local.finished = false;
    });
  }
  if (plan.mlflow && !done("mlflow")) {
    const tags = await runTags(inputs);
    channels.push(await mlflowChannel({ ...common, ...plan.mlflow, tags, env: inputs.env }));
  }
  if ((plan.tensorboard || plan.wandb) && !done("local")) {
    const local = await localChannel({ ...common, plan }).catch((error: unknown) => {
      log.warn(`TensorBoard/W&B files are not written: ${messageOf(error)}`);
      return undefined;
    });
    if (local) channels.push(local);
  }
  let index = (await readEvents(eventsFile)).length;
  return {
    systems: channels.map((c) => c.label),
    onEvent(event) {
      const item = { index: index++, event };
      for (const channel of channels) channel.feeder.push(item);
    },
    async finish(status) {
      const report = await readReport(runDir).catch(() => undefined);
      const complete = await Promise.all(channels.map((c) => finishChannel(c, report, status, inputs)));
      return complete.every(Boolean);
    },
  };
}

async function finishChannel(
  channel: Channel,
  report: Report | undefined,
  status: RunStatus,
  inputs: TrackerInputs,
): Promise<boolean> {
  // `runs sync` is asked for: it waits the full time for a server however it answered so far.
  const deadline = Date.now() + (channel.feeder.everReached || inputs.sync ? FINISH_MS : 5000);
  let told = false;
  const waiting = (reason: string) => {
    const seconds = Math.round((deadline - Date.now()) / 1000);
    if (told || seconds <= 0) return; // once, for the events and the results together
    told = true;
    inputs.log.warn(
      `${channel.label} does not answer yet (${reason}); waiting up to ${seconds} s for it ` +
        `(what it lacks after that, \`pipeline runs sync ${inputs.runId}\` sends later)`,
    );
  };
  try {
    const missing = await channel.feeder.drain(deadline, waiting);
    if (!channel.feeder.isDown) await channel.finish(report, status, deadline, waiting);
    if (missing > 0 || channel.feeder.isDown) {
      inputs.log.warn(
        `${channel.label} lacks ${missing} of this run's events and its results; \`pipeline runs sync ${inputs.runId}\` ` +
          "sends them once it answers",
      );
      return false;
    }
    return true;
  } catch (error) {
    inputs.log.warn(
      `${channel.label}: the run's results were not recorded (${messageOf(error)}); ` +
        `\`pipeline runs sync ${inputs.runId}\` tries again`,
    );
    return false;
  }
}

import { appendFile } from "node:fs/promises";
import { atPath, environmentError } from "../errors/environment.js";
import type { DoneEvent, ErrorEvent, TrainerEvent } from "../run-dir/index.js";
import type { TrainerHandle, TrainerExit } from "./runtime.js";

export interface TrainOutcome {
  status: "done" | "failed" | "interrupted";
  exit: TrainerExit;
  done?: DoneEvent;
  error?: ErrorEvent;
  lastStep: number;
  lastCheckpoint?: { step: number; path: string };
}

/**
 * Drives a started trainer to its end: every event is appended to events.jsonl and passed to `onEvent`;
 * SIGINT/SIGTERM to this process ask the trainer to save and stop (it exits 130), leaving a resumable run.
 */
export async function followTrainer(
  handle: TrainerHandle,
  options: { eventsFile: string; onEvent: (event: TrainerEvent) => void; graceMs?: number },
): Promise<TrainOutcome> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    void handle.cancel(options.graceMs);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const outcome: Omit<TrainOutcome, "status" | "exit"> = { lastStep: 0 };
  let unrecorded: ErrorEvent | undefined;
  try {
    for await (const event of handle.events) {
      if (!unrecorded) {
        unrecorded = await record(options.eventsFile, event);
        // The run can no longer keep its record (e.g. the disk is full): stop the trainer, then say why.
        if (unrecorded) void handle.cancel(options.graceMs);
      }
      if (event.type === "step") outcome.lastStep = event.step;
      if (event.type === "checkpoint") outcome.lastCheckpoint = { step: event.step, path: event.path };
      if (event.type === "done") outcome.done = event;
      if (event.type === "error") outcome.error = event;
      options.onEvent(event);
    }
    const exit = await handle.wait();
    if (unrecorded) return { ...outcome, error: unrecorded, status: "failed", exit };
    // torchrun exits 1 when its trainers stop on a signal: their "interrupted" event says what happened.
    const stopped = interrupted || exit.exitCode === 130 || outcome.error?.code === "interrupted";
    const status = outcome.done && exit.exitCode === 0 ? "done" : stopped ? "interrupted" : "failed";
    return { ...outcome, status, exit };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Appends one event to events.jsonl; a failure of the environment comes back as an error event. */
async function record(file: string, event: TrainerEvent): Promise<ErrorEvent | undefined> {
  try {
    await appendFile(file, JSON.stringify(event) + "\n");
    return undefined;
  } catch (error) {
    const mapped = environmentError(atPath(error, file));
    if (!mapped) throw error;
    return { v: 1, type: "error", time: Date.now() / 1000, code: mapped.code, message: mapped.message };
  }
}

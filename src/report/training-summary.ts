import type { TrainerEvent } from "../launch/index.js";
import { summarizePreference } from "./preference-summary.js";
import type { Point, Training } from "./schema.js";

type Event = TrainerEvent;
type Start = Extract<Event, { type: "start" }>;

/**
 * The training summary of a run, fresh or resumed. A resumed run has one `start` per session and replays the
 * steps after its checkpoint, so every curve keeps the last value logged for each step.
 */
export function summarizeTraining(events: Event[]): Training | null {
  const starts = events.filter((e): e is Start => e.type === "start");
  const first = starts[0];
  const last = starts.at(-1);
  if (!first || !last) return null;
  const steps = events.flatMap((e) => (e.type === "step" ? [e] : []));
  const lastStep = steps.at(-1);
  const done = events.findLast((e) => e.type === "done");
  const loss = lastPerStep(steps.map((e) => [e.step, e.loss]));
  const evalLoss = lastPerStep(events.flatMap((e) => (e.type === "eval" ? [[e.step, e.eval_loss]] : [])));
  const best = bestEval(evalLoss);
  const tokens = done?.metrics.tokens ?? lastStep?.tokens ?? 0;
  const trainTime = done?.metrics.runtime_s ?? lastStep?.elapsed_s ?? 0;
  const method = last.method ?? "sft";
  return {
    method,
    ...(method === "sft" ? {} : { preference: summarizePreference(events, lastPerStep) }),
    steps: done?.metrics.steps ?? lastStep?.step ?? last.start_step,
    total_steps: last.total_steps,
    epochs: lastStep?.epoch ?? 0,
    resumes: starts.length - 1,
    final_train_loss: loss.at(-1)?.[1] ?? null,
    best_eval_loss: best?.[1] ?? null,
    best_eval_step: best?.[0] ?? null,
    base_eval_loss: evalLoss.find(([step]) => step === 0)?.[1] ?? null,
    final_eval_loss: evalLoss.at(-1)?.[1] ?? null,
    tokens,
    wall_time_s: wallTime(events),
    train_time_s: trainTime,
    tokens_per_s: trainTime > 0 ? tokens / trainTime : 0,
    mfu: mfu(trainTime > 0 ? tokens / trainTime : 0, last),
    params_trainable: last.params_trainable,
    params_total: last.params_total,
    device: last.device,
    precision: last.precision,
    ...(last.world_size !== undefined && { world_size: last.world_size }),
    ...(last.strategy && { strategy: last.strategy }),
    ...(last.global_batch_size !== undefined && { global_batch_size: last.global_batch_size }),
    curves: { loss, lr: lastPerStep(steps.map((e) => [e.step, e.lr])), eval_loss: evalLoss },
  };
}

/**
 * 6·N FLOPs per token (the usual convention; a LoRA run skips the frozen weights' gradients) over the peak of
 * every GPU the run used (tokens/s counts all ranks).
 */
function mfu(tokensPerS: number, start: Start): number | null {
  if (!start.peak_flops || tokensPerS <= 0) return null;
  return (tokensPerS * 6 * start.params_total) / (start.peak_flops * (start.world_size ?? 1));
}

/** Sorted by step; a step logged twice (replayed after a resume) keeps its later value. */
export function lastPerStep(points: Point[]): Point[] {
  const byStep = new Map<number, number>();
  for (const [step, value] of points) byStep.set(step, value);
  return [...byStep.entries()].sort(([a], [b]) => a - b);
}

/** The adapter's best held-out loss; step 0 is the base model, so it does not count. */
function bestEval(evalLoss: Point[]): Point | undefined {
  const trained = evalLoss.filter(([step]) => step > 0);
  return trained.reduce<Point | undefined>((best, p) => (best && best[1] <= p[1] ? best : p), undefined);
}

/** Sum over sessions (each `start` to the last event before the next one): the time between them is no run. */
function wallTime(events: Event[]): number {
  let total = 0;
  let sessionStart: number | undefined;
  let lastTime = 0;
  for (const event of events) {
    if (event.type === "start") {
      if (sessionStart !== undefined) total += lastTime - sessionStart;
      sessionStart = event.time;
    }
    lastTime = event.time;
  }
  return sessionStart === undefined ? 0 : total + lastTime - sessionStart;
}

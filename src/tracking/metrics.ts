import type { TrainerEvent } from "../launch/index.js";
import type { Report } from "../report/index.js";

/**
 * One place that names what every tracking system gets, so TensorBoard, MLflow and W&B show the same keys:
 * train/loss, train/lr, train/grad_norm, train/tokens_per_s, train/epoch, train/tokens, eval/loss, and at the
 * end <suite>/<metric>/{base,adapter,difference,ci95_low,ci95_high,p_value} with gate/<metric> (1 passed).
 */
export interface Point {
  /** The event's position in events.jsonl: what a system has been sent is a count of events. */
  index: number;
  step: number;
  /** Unix seconds, the event's own time (so a backfill logs the time it happened, not the time it was sent). */
  time: number;
  values: Record<string, number>;
  /** A resumed session starts at this step: what was logged past it before is replaced. */
  restart?: boolean;
}

export function eventPoint(event: TrainerEvent, index: number): Point | undefined {
  const at = { index, time: event.time };
  switch (event.type) {
    case "step":
      return {
        ...at,
        step: event.step,
        values: {
          "train/loss": event.loss,
          "train/lr": event.lr,
          "train/grad_norm": event.grad_norm,
          "train/tokens_per_s": event.tokens_per_s,
          "train/epoch": event.epoch,
          "train/tokens": event.tokens,
        },
      };
    case "eval":
      return { ...at, step: event.step, values: { "eval/loss": event.eval_loss } };
    case "start":
      return event.start_step > 0
        ? { ...at, step: event.start_step + 1, values: {}, restart: true }
        : undefined;
    default:
      return undefined;
  }
}

/** The run's outcome as numbers: training summary, each suite metric with its interval, each gate. */
export function resultValues(report: Report): Record<string, number> {
  const values: Record<string, number> = {};
  const t = report.training;
  if (t) {
    const summary = {
      steps: t.steps,
      tokens: t.tokens,
      train_time_s: t.train_time_s,
      tokens_per_s: t.tokens_per_s,
      final_train_loss: t.final_train_loss,
      best_eval_loss: t.best_eval_loss,
      base_eval_loss: t.base_eval_loss,
      final_eval_loss: t.final_eval_loss,
      mfu: t.mfu,
    };
    for (const [key, value] of Object.entries(summary))
      if (typeof value === "number") values[`final/${key}`] = value;
  }
  for (const suite of report.suites) {
    for (const m of suite.metrics) {
      const key = `${metricKey(suite.name)}/${metricKey(m.metric)}`;
      Object.assign(values, {
        [`${key}/base`]: m.base,
        [`${key}/adapter`]: m.adapter,
        [`${key}/difference`]: m.difference,
        [`${key}/ci95_low`]: m.ci95[0],
        [`${key}/ci95_high`]: m.ci95[1],
        [`${key}/p_value`]: m.pValue,
      });
    }
  }
  for (const gate of report.gates) values[`gate/${metricKey(gate.metric)}`] = gate.passed ? 1 : 0;
  if (report.cost) values["final/cost"] = report.cost.total;
  return Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)));
}

/** The outcome and each gate as text, for tags. */
export function resultTags(report: Report): Record<string, string> {
  const tags: Record<string, string> = { outcome: report.outcome.status };
  for (const gate of report.gates) {
    tags[`gate/${metricKey(gate.metric)}`] = `${gate.passed ? "passed" : "failed"} (${gate.expression})`;
  }
  return tags;
}

// MLflow accepts letters, digits, _ - . / and spaces in a key; suite and metric names are the user's.
export function metricKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_\-./ ]/g, "_");
}

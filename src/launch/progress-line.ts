import type { TrainerEvent } from "../run-dir/index.js";

/** The live training line: `step 40/150 · loss 1.234 · lr 1.2e-03 · 850 tok/s · ETA 1m12s`. */
export function progressLine(event: TrainerEvent, startStep = 0): string | undefined {
  switch (event.type) {
    case "start":
      return `${event.device}, ${event.precision}, ${formatCount(event.params_trainable)} trainable of ${formatCount(event.params_total)} parameters, ${event.total_steps} steps${batchText(event)}${event.start_step ? `, resuming at step ${event.start_step}` : ""}`;
    case "step": {
      const done = event.step - startStep;
      const perStep = done > 0 ? event.elapsed_s / done : 0;
      const eta = perStep * (event.total_steps - event.step);
      return `step ${event.step}/${event.total_steps} · loss ${event.loss.toFixed(4)} · lr ${event.lr.toExponential(1)} · ${Math.round(event.tokens_per_s)} tok/s · ETA ${formatDuration(eta)}`;
    }
    case "eval":
      return `eval at step ${event.step}: loss ${event.eval_loss.toFixed(4)}`;
    case "checkpoint":
      return `checkpoint saved at step ${event.step}`;
    case "done":
      return `done: ${event.metrics.steps} steps, train loss ${event.metrics.train_loss.toFixed(4)}`;
    case "error":
      return `trainer error [${event.code}]: ${event.message}`;
  }
}

/** The effective batch: what one optimizer step takes over all processes. */
function batchText(event: Extract<TrainerEvent, { type: "start" }>): string {
  if (event.global_batch_size === undefined) return "";
  const ranks = (event.world_size ?? 1) > 1 ? ` over ${event.world_size} processes` : "";
  return ` of ${event.global_batch_size} sequences${ranks}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Which metric makes a checkpoint the best one, and whether lower or higher is better. */
export interface KeepBest {
  metric: string;
  mode: "min" | "max";
}

export interface Retained {
  step: number;
  complete: boolean;
  metrics?: Record<string, number>;
}

/** The best complete checkpoint by `keepBest` (ties: the newer one), or undefined when none has the metric. */
export function bestStep(checkpoints: Retained[], keepBest: KeepBest | undefined): number | undefined {
  if (!keepBest) return undefined;
  let best: { step: number; value: number } | undefined;
  for (const c of checkpoints) {
    const value = c.metrics?.[keepBest.metric];
    if (!c.complete || value === undefined || !Number.isFinite(value)) continue;
    const better = !best || (keepBest.mode === "min" ? value < best.value : value > best.value);
    const tieNewer = best && value === best.value && c.step > best.step;
    if (better || tieNewer) best = { step: c.step, value };
  }
  return best?.step;
}

/**
 * The complete checkpoints retention deletes: all but the newest `keepLast` — never the best one by
 * `keepBest`. Without keepLast nothing is deleted (keep_best only protects).
 */
export function prunable<T extends Retained>(
  checkpoints: T[],
  keepLast: number | undefined,
  keepBest?: KeepBest,
): T[] {
  if (!keepLast) return [];
  const best = bestStep(checkpoints, keepBest);
  const complete = checkpoints.filter((c) => c.complete).sort((a, b) => b.step - a.step);
  return complete.slice(keepLast).filter((c) => c.step !== best);
}

export interface Backoff {
  /** Delay before the first retry. */
  baseMs: number;
  factor: number;
  /** ± this fraction of the delay, so jobs that failed together do not retry together. */
  jitter: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, factor: 2, jitter: 0.2, maxMs: 3_600_000 };

/** The delay before retry number `failures` (1 = after the first failure). */
export function backoffMs(failures: number, backoff = DEFAULT_BACKOFF, random = Math.random): number {
  const delay = Math.min(backoff.baseMs * backoff.factor ** Math.max(0, failures - 1), backoff.maxMs);
  return Math.round(delay * (1 + backoff.jitter * (2 * random() - 1)));
}

/** `PIPELINE_RETRY_BASE_MS` shortens the base delay (tests, impatient operators). */
export function backoffFromEnv(env = process.env): Backoff {
  const base = Number(env.PIPELINE_RETRY_BASE_MS);
  return Number.isFinite(base) && base >= 0 && env.PIPELINE_RETRY_BASE_MS !== undefined
    ? { ...DEFAULT_BACKOFF, baseMs: base }
    : DEFAULT_BACKOFF;
}

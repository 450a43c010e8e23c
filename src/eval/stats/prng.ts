/**
 * mulberry32: a tiny, fast 32-bit PRNG with a good enough spread for resampling. Seeded, so every
 * bootstrap interval and permutation p-value is the same on every run.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Per-case adapter − base; the two lists pair by position. */
export function differences(base: readonly number[], adapter: readonly number[]): number[] {
  if (base.length !== adapter.length) {
    throw new Error(`paired scores differ in length: ${base.length} base, ${adapter.length} adapter`);
  }
  return base.map((b, i) => adapter[i]! - b);
}

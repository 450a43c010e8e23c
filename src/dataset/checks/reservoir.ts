/** Enough samples for stable p95; exact below this many rows. */
const SIZE = 20_000;

/**
 * Length percentiles in constant memory: a uniform reservoir sample (Algorithm R) with a fixed-seed
 * generator, so the same file always gives the same report. The max is exact.
 */
export class Reservoir {
  private readonly samples = new Float64Array(SIZE);
  private count = 0;
  private seed = 0x2545f491;
  max = 0;

  add(value: number): void {
    if (value > this.max) this.max = value;
    if (this.count < SIZE) this.samples[this.count] = value;
    else {
      const slot = this.random() % (this.count + 1);
      if (slot < SIZE) this.samples[slot] = value;
    }
    this.count++;
  }

  /** p50, p95 and max; `sampled` when the percentiles come from a sample rather than every row. */
  summary(): { p50: number; p95: number; max: number; sampled: boolean } {
    const n = Math.min(this.count, SIZE);
    const sorted = this.samples.slice(0, n).sort();
    const at = (q: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
    return { p50: at(0.5), p95: at(0.95), max: this.max, sampled: this.count > SIZE };
  }

  // xorshift32: fast, deterministic, plenty for sampling.
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}

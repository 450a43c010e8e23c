/** Start small; grow by doubling up to the cap. 2^22 slots × 13 bytes ≈ 55 MB at most. */
const INITIAL_BITS = 14;
const MAX_BITS = 22;

/**
 * An open-addressing set of 64-bit fingerprints that remembers where each was first seen. Memory is
 * bounded: once full, new fingerprints are looked up but no longer stored, and `full` says so.
 */
export class FingerprintTable {
  private bits = INITIAL_BITS;
  private high = new Uint32Array(1 << INITIAL_BITS);
  private low = new Uint32Array(1 << INITIAL_BITS);
  /** location + 1, so 0 marks an empty slot. */
  private first = new Uint32Array(1 << INITIAL_BITS);
  private repeated = new Uint8Array(1 << INITIAL_BITS);
  size = 0;
  full = false;

  /**
   * Adds a fingerprint. Returns undefined when it is new; otherwise the location it was first seen at,
   * and whether this is the first time it repeats (to count distinct duplicated rows).
   */
  add(high: number, low: number, location: number): { first: number; firstRepeat: boolean } | undefined {
    const slot = this.find(high, low);
    if (this.first[slot] !== 0) {
      const firstRepeat = this.repeated[slot] === 0;
      this.repeated[slot] = 1;
      return { first: this.first[slot]! - 1, firstRepeat };
    }
    if (this.size >= this.capacity() * 0.7) {
      if (this.bits >= MAX_BITS) {
        this.full = true;
        return undefined;
      }
      this.grow();
      return this.add(high, low, location);
    }
    this.high[slot] = high;
    this.low[slot] = low;
    this.first[slot] = location + 1;
    this.size++;
    return undefined;
  }

  /** Where a fingerprint was first seen, or -1. */
  lookup(high: number, low: number): number {
    return this.first[this.find(high, low)]! - 1;
  }

  private capacity(): number {
    return 1 << this.bits;
  }

  private find(high: number, low: number): number {
    const mask = this.capacity() - 1;
    let slot = (Math.imul(high ^ (low >>> 7), 0x9e3779b1) >>> (32 - this.bits)) & mask;
    while (this.first[slot] !== 0 && (this.high[slot] !== high >>> 0 || this.low[slot] !== low >>> 0))
      slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { high, low, first, repeated } = this;
    this.bits++;
    const size = this.capacity();
    this.high = new Uint32Array(size);
    this.low = new Uint32Array(size);
    this.first = new Uint32Array(size);
    this.repeated = new Uint8Array(size);
    for (let i = 0; i < first.length; i++) {
      if (first[i] === 0) continue;
      const slot = this.find(high[i]!, low[i]!);
      this.high[slot] = high[i]!;
      this.low[slot] = low[i]!;
      this.first[slot] = first[i]!;
      this.repeated[slot] = repeated[i]!;
    }
  }
}

/**
 * The devices a worker hands out: its GPUs by index, and slots for jobs that ask for no GPU (one on a machine;
 * a Ray worker on a CPU cluster has as many as the cluster has CPUs).
 */
export class Slots {
  private readonly free: number[];
  private cpuBusy = 0;

  constructor(
    gpus: number[],
    private readonly cpuSlots = 1,
  ) {
    this.free = [...gpus];
  }

  get freeGpus(): number {
    return this.free.length;
  }

  get cpuSlotFree(): boolean {
    return this.cpuBusy < this.cpuSlots;
  }

  take(count: number): number[] {
    if (count === 0) {
      this.cpuBusy++;
      return [];
    }
    if (count > this.free.length) throw new Error(`asked for ${count} GPUs, ${this.free.length} free`);
    return this.free.splice(0, count);
  }

  give(gpus: number[]): void {
    if (gpus.length === 0) this.cpuBusy--;
    this.free.push(...gpus);
    this.free.sort((a, b) => a - b);
  }
}

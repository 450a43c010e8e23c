/** The devices a worker hands out: its GPUs by index, and one slot for a job that asks for no GPU. */
export class Slots {
  private readonly free: number[];
  private cpuBusy = false;

  constructor(gpus: number[]) {
    this.free = [...gpus];
  }

  get freeGpus(): number {
    return this.free.length;
  }

  get cpuSlotFree(): boolean {
    return !this.cpuBusy;
  }

  take(count: number): number[] {
    if (count === 0) {
      this.cpuBusy = true;
      return [];
    }
    if (count > this.free.length) throw new Error(`asked for ${count} GPUs, ${this.free.length} free`);
    return this.free.splice(0, count);
  }

  give(gpus: number[]): void {
    if (gpus.length === 0) this.cpuBusy = false;
    this.free.push(...gpus);
    this.free.sort((a, b) => a - b);
  }
}

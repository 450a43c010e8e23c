import { Worker } from "node:worker_threads";

// sha256 off the main thread, so hashing a multi-GB file never holds up sending it. The worker's code
// is inline (eval) so it runs the same from src/ (tests, tsx) and from dist/, and takes its modules from
// process.getBuiltinModule so it runs whether the parent makes eval'd code CommonJS or ESM.
const SOURCE = `
const { parentPort } = process.getBuiltinModule("node:worker_threads");
const { createHash } = process.getBuiltinModule("node:crypto");
const whole = createHash("sha256");
parentPort.on("message", ({ id, buffer, length, end }) => {
  if (end) return parentPort.postMessage({ id, value: whole.digest("hex") });
  whole.update(new Uint8Array(buffer, 0, length));
  parentPort.postMessage({ id });
});`;

/**
 * One file's hasher: each part (a SharedArrayBuffer, not copied) goes into the whole file's sha256, in the
 * order the parts are given.
 */
export class FileHasher {
  private readonly worker = new Worker(SOURCE, { eval: true });
  private readonly waiting = new Map<
    number,
    { resolve: (hex: string) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failed?: Error;

  constructor() {
    this.worker.on("message", ({ id, value }: { id: number; value: string }) => {
      this.waiting.get(id)?.resolve(value);
      this.waiting.delete(id);
    });
    this.worker.on("error", (error) => {
      this.failed = error;
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    });
  }

  /** Resolves once the part's bytes are in the whole file's sha256 (the buffer is free again). */
  async update(buffer: SharedArrayBuffer, length: number): Promise<void> {
    await this.ask({ buffer, length });
  }

  /** The whole file's sha256 (hex), once every part was given. */
  digest(): Promise<string> {
    return this.ask({ end: true });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private ask(message: object): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}

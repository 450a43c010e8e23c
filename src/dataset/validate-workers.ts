import { availableParallelism } from "node:os";
import { open } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { FileChecks } from "./checks/file-checks.js";
import type { FactsBatch } from "./checks/row-facts.js";
import { CHUNK_BYTES } from "./read/json-lines.js";
import type { RangeMessage, WorkerData, WorkerSetup } from "./validate-worker.js";

/** Below this size a JSON Lines file is checked on the main thread: starting workers would cost more. */
export const PARALLEL_MIN_BYTES = 8 << 20;
/** Chunks sent but not yet folded in, per worker: enough to keep each busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 3;

/** Worker threads for a file of this size: one per core (at most 4), none for a small file or one core. */
export function workersFor(bytes: number, cores = availableParallelism()): number {
  return bytes < PARALLEL_MIN_BYTES || cores < 2 ? 0 : Math.min(cores, 4);
}

/**
 * Checks a JSON Lines file on `count` worker threads: the file is cut into byte ranges, and each worker
 * reads, parses and checks the lines that start in the ranges it is sent (json-lines.ts' LineRangeReader);
 * their facts are folded into `checks` in file order, so the report is the same as a single-threaded pass.
 * This thread only hands out ranges and folds: reading here and sending the bytes on cost it more than
 * the folding (a copy of every chunk, and the garbage of both).
 */
export async function checkInWorkers(
  path: string,
  setup: WorkerSetup,
  checks: FileChecks,
  count: number,
  onProgress?: (bytes: number) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  // One descriptor for all the workers (a process's descriptors are its threads'), closed once they are done.
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const pool = new Pool({ ...setup, fd: file.fd, chunkBytes }, count, onProgress);
    try {
      for (let start = 0; start < size; start += chunkBytes)
        await pool.send({ start, end: Math.min(start + chunkBytes, size) }, checks);
      await pool.drain(checks);
    } finally {
      await pool.close();
    }
  } finally {
    await file.close();
  }
}

/** Workers that each take chunks in turn; their results are folded in the order the chunks were sent. */
class Pool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly done = new Map<number, FactsBatch>();
  /** Where each range sent ends in the file, for progress once it is folded in. */
  private readonly ends = new Map<number, number>();
  private nextId = 0;
  private nextFold = 0;
  private lineBase = 0;
  private failure?: Error;
  private wake?: () => void;

  constructor(
    setup: WorkerData,
    count: number,
    private readonly onProgress?: (bytes: number) => void,
  ) {
    for (let i = 0; i < count; i++) {
      const worker = startWorker(setup);
      worker.on("message", ({ id, batch }: { id: number; batch: FactsBatch }) => {
        this.busy[i]!--;
        this.done.set(id, batch);
        this.wake?.();
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`a dataset validation worker stopped (exit ${code})`));
      });
      this.workers.push(worker);
      this.busy.push(0);
    }
  }

  /** Hands a chunk to the least busy worker, first folding in results while too many are out. */
  async send(range: { start: number; end: number }, checks: FileChecks): Promise<void> {
    while (this.nextId - this.nextFold >= this.workers.length * IN_FLIGHT_PER_WORKER) await this.fold(checks);
    const index = this.busy.indexOf(Math.min(...this.busy));
    this.busy[index]!++;
    const message: RangeMessage = { id: this.nextId++, ...range };
    this.ends.set(message.id, range.end);
    this.workers[index]!.postMessage(message);
  }

  async drain(checks: FileChecks): Promise<void> {
    while (this.nextFold < this.nextId) await this.fold(checks);
  }

  /** Waits for the next chunk in file order, then folds in it and any after it that are done. */
  private async fold(checks: FileChecks): Promise<void> {
    while (!this.done.has(this.nextFold)) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    for (let batch = this.done.get(this.nextFold); batch; batch = this.done.get(this.nextFold)) {
      this.done.delete(this.nextFold);
      checks.addBatch(batch, this.lineBase);
      this.lineBase += batch.lines;
      this.onProgress?.(this.ends.get(this.nextFold)!);
      this.ends.delete(this.nextFold++);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** From dist/ the worker is plain JavaScript; from src/ (tests, tsx) it is TypeScript, run through tsx. */
function startWorker(setup: WorkerData): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = new URL(fromSource ? "./validate-worker.ts" : "./validate-worker.js", import.meta.url);
  return new Worker(file, { workerData: setup, ...(fromSource && { execArgv: ["--import", "tsx"] }) });
}

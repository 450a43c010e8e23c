import { prunable, type KeepBest } from "./retention.js";
import type { CheckpointStore } from "./store.js";
import { messageOf } from "../errors/index.js";

export interface UploadJob {
  /** What the summary calls it, e.g. "checkpoint step 20" or "adapter". */
  label: string;
  dir: string;
  /** The run's folder it becomes in the store: `checkpoints/step-NNNNNN`, `adapter`, `state`, `report`. */
  folder: string;
  /** Only these files of `dir` (relative paths), with a manifest made from what was sent; default the
   *  folder's own manifest.json and the files it lists. */
  files?: string[];
  /** Settles when the folder may be read (e.g. its manifest is being stamped with metrics). */
  ready?: Promise<unknown>;
  /** Checkpoints take part in keep_last retention; the adapter does not. */
  checkpointStep?: number;
}

export interface UploadResult {
  job: UploadJob;
  /** Where it went (or was to go): an s3:// URI or a path. */
  uri: string;
  ok: boolean;
  bytes?: number;
  seconds: number;
  error?: string;
}

/**
 * Copies a run's folders into its store in the background, one at a time and in order, so training never
 * waits on the store. Each copy retries transient failures (an outage) up to the store's bound, then is
 * reported as not stored and the queue moves on. keep_last prunes older complete checkpoints only after a
 * newer one is complete in the store, never the best one by keep_best.
 */
export class Uploader {
  private tail: Promise<void> = Promise.resolve();
  private readonly results: UploadResult[] = [];
  private queued = 0;
  private current?: UploadJob;

  constructor(
    private readonly store: CheckpointStore,
    private readonly options: {
      runId: string;
      keepLast?: number;
      keepBest?: KeepBest;
      log?: (line: string) => void;
    },
  ) {}

  enqueue(job: UploadJob): void {
    this.queued++;
    this.tail = this.tail.then(() => this.run(job));
  }

  /** Jobs not yet finished (including the one uploading now). */
  get pending(): number {
    return this.queued - this.results.length;
  }

  /** Waits for every queued upload, reporting progress; returns what was and was not uploaded. */
  async drain(onProgress?: (line: string) => void): Promise<UploadResult[]> {
    const timer = setInterval(() => {
      if (this.current) onProgress?.(`uploading ${this.current.label} (${this.pending} left)`);
    }, 1000);
    try {
      await this.tail;
    } finally {
      clearInterval(timer);
    }
    return [...this.results];
  }

  private async run(job: UploadJob): Promise<void> {
    this.current = job;
    const result = await storeFolder(this.store, this.options.runId, job);
    this.results.push(result);
    this.options.log?.(
      result.ok ? `stored ${job.label} → ${result.uri}` : `could not store ${job.label}: ${result.error}`,
    );
    if (result.ok && job.checkpointStep !== undefined && this.options.keepLast)
      await this.prune(this.options.keepLast);
    this.current = undefined;
  }

  private async prune(keepLast: number): Promise<void> {
    try {
      const stored = await this.store.checkpoints(this.options.runId);
      for (const old of prunable(stored, keepLast, this.options.keepBest)) {
        await this.store.remove(this.options.runId, old.folder);
        this.options.log?.(`pruned checkpoint step ${old.step} from the store (keep_last ${keepLast})`);
      }
    } catch (error) {
      this.options.log?.(`could not prune old checkpoints: ${messageOf(error)}`);
    }
  }
}

/** One folder of a run into the store, never throwing: what happened, for the run's summary and report. */
export async function storeFolder(
  store: CheckpointStore,
  runId: string,
  job: UploadJob,
): Promise<UploadResult> {
  const started = Date.now();
  const uri = store.locate(runId, job.folder);
  const seconds = () => (Date.now() - started) / 1000;
  try {
    await job.ready;
    const { bytes } = await store.push(runId, job.folder, job.dir, job.files);
    return { job, uri, ok: true, bytes, seconds: seconds() };
  } catch (error) {
    return { job, uri, ok: false, error: messageOf(error) || String(error), seconds: seconds() };
  }
}

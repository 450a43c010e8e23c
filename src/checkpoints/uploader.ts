import { prunable, type KeepBest } from "./retention.js";
import type { S3Store } from "./s3-store.js";

export interface UploadJob {
  /** What the summary calls it, e.g. "checkpoint step 20" or "adapter". */
  label: string;
  dir: string;
  key: string;
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
  uri: string;
  ok: boolean;
  bytes?: number;
  seconds: number;
  error?: string;
}

/**
 * Uploads checkpoint folders in the background, one at a time and in order, so training never waits on
 * the store. Each upload retries transient failures (an outage) up to the store's bound, then is reported
 * as not uploaded and the queue moves on. keep_last prunes older complete checkpoints only after a newer
 * one is complete in the store, never the best one by keep_best.
 */
export class Uploader {
  private tail: Promise<void> = Promise.resolve();
  private readonly results: UploadResult[] = [];
  private queued = 0;
  private current?: UploadJob;

  constructor(
    private readonly store: S3Store,
    private readonly options: {
      checkpointsKey: string;
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
    const started = Date.now();
    const uri = `s3://${this.store.location.bucket}/${job.key}`;
    try {
      await job.ready;
      const { bytes } = job.files
        ? await this.store.uploadFiles(job.dir, job.files, job.key)
        : await this.store.uploadFolder(job.dir, job.key);
      this.results.push({ job, uri, ok: true, bytes, seconds: (Date.now() - started) / 1000 });
      this.options.log?.(`uploaded ${job.label} → ${uri}`);
      if (job.checkpointStep !== undefined && this.options.keepLast) await this.prune(this.options.keepLast);
    } catch (error) {
      const message = (error as Error).message || String(error);
      this.results.push({ job, uri, ok: false, error: message, seconds: (Date.now() - started) / 1000 });
      this.options.log?.(`could not upload ${job.label}: ${message}`);
    } finally {
      this.current = undefined;
    }
  }

  private async prune(keepLast: number): Promise<void> {
    try {
      const stored = await this.store.listCheckpoints(this.options.checkpointsKey);
      for (const old of prunable(stored, keepLast, this.options.keepBest)) {
        await this.store.deleteFolder(old.key);
        this.options.log?.(`pruned checkpoint step ${old.step} from the store (keep_last ${keepLast})`);
      }
    } catch (error) {
      this.options.log?.(`could not prune old checkpoints: ${(error as Error).message}`);
    }
  }
}

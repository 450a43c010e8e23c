import { joinKey } from "./s3-uri.js";
import { describeStore, probeStore } from "./s3-probe.js";
import type { S3Store } from "./s3-store.js";
import { RUN_FOLDERS } from "./run-folders.js";
import type { CheckpointStore, StoredCheckpoint } from "./store.js";

/** The CheckpointStore of an s3:// URI: a run's folders under `<prefix>/<run-id>/`, each with its manifest last. */
export class S3CheckpointStore implements CheckpointStore {
  readonly runFolders = RUN_FOLDERS;

  constructor(readonly s3: S3Store) {}

  get uri(): string {
    const { bucket, prefix } = this.s3.location;
    return `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
  }

  private key(runId: string, folder?: string): string {
    return folder ? joinKey(this.s3.key(runId), folder) : this.s3.key(runId);
  }

  locate(runId: string, folder?: string): string {
    return `s3://${this.s3.location.bucket}/${this.key(runId, folder)}`;
  }

  async checkpoints(runId: string): Promise<StoredCheckpoint[]> {
    const base = this.key(runId);
    return (await this.s3.listCheckpoints(this.key(runId, "checkpoints"))).map((c) => ({
      step: c.step,
      folder: c.key.slice(base.length + 1),
      bytes: c.bytes,
      complete: c.complete,
      ...(c.reason && { reason: c.reason }),
      ...(c.metrics && { metrics: c.metrics }),
    }));
  }

  async has(runId: string, folder: string): Promise<boolean> {
    return (await this.s3.listObjects(this.key(runId, folder))).length > 0;
  }

  verify(runId: string, folder: string) {
    return this.s3.verify(this.key(runId, folder));
  }

  pull(runId: string, folder: string, dir: string) {
    return this.s3.pull(this.key(runId, folder), dir);
  }

  push(runId: string, folder: string, dir: string, files?: string[]) {
    const key = this.key(runId, folder);
    return files ? this.s3.uploadFiles(dir, files, key) : this.s3.uploadFolder(dir, key);
  }

  remove(runId: string, folder: string) {
    return this.s3.deleteFolder(this.key(runId, folder));
  }

  probe(): Promise<void> {
    return probeStore(this.s3);
  }

  abortStale(runId: string, olderThanMs: number) {
    return this.s3.abortStaleUploads(this.key(runId), olderThanMs);
  }

  describe(): string {
    return describeStore(this.s3);
  }

  close(): void {
    this.s3.destroy();
  }
}

import type { Verdict } from "./manifest.js";
import type { RunFolder } from "./run-folders.js";

/**
 * A checkpoint store: where a run's folders outlive the machine that trained it. Every folder — each
 * `checkpoints/step-NNNNNN`, the `adapter`, the run `state` and the `report` — carries a manifest.json written
 * LAST (every file's size and sha256); a folder without one does not exist. Implementations: a directory
 * (LocalDirStore: a relative or absolute path, a mounted network disk) and S3 (S3CheckpointStore). A new
 * store is one file implementing this and one line in open-store.ts.
 */
export interface CheckpointStore {
  /** The store itself, as the user wrote it: `s3://bucket/prefix` or a directory. */
  readonly uri: string;
  /** The store in words, for progress and errors (an S3 store adds its endpoint). */
  describe(): string;
  /** Where one folder of a run is, for messages: `s3://bucket/prefix/<run>/adapter`, or a path. */
  locate(runId: string, folder?: string): string;
  /** The run's checkpoints, newest first; complete = a manifest whose every file is there at its size. */
  checkpoints(runId: string): Promise<StoredCheckpoint[]>;
  /** Whether anything of this folder is stored (complete or not). */
  has(runId: string, folder: string): Promise<boolean>;
  /** Every file of a stored folder re-read and re-hashed against its manifest. */
  verify(runId: string, folder: string): Promise<Verdict>;
  /** A stored folder into `dir`, verified on the way; `dir` appears only when every file matched. */
  pull(runId: string, folder: string, dir: string): Promise<Verdict>;
  /**
   * A local folder into the store, manifest last: with `files`, those files (relative paths) and a manifest
   * made from what was sent; without, the folder's own manifest.json and the files it lists.
   */
  push(runId: string, folder: string, dir: string, files?: string[]): Promise<{ bytes: number }>;
  /** Deletes a stored folder, manifest first, so a half-deleted folder never counts as complete. */
  remove(runId: string, folder: string): Promise<void>;
  /** A small write, read and delete: the store takes checkpoints (exit 2 naming it when not). */
  probe(): Promise<void>;
  /** Aborts uploads of this run left unfinished for longer than `olderThanMs`; what was aborted. */
  abortStale(runId: string, olderThanMs: number): Promise<string[]>;
  /** The folders besides checkpoints this store keeps for a run. */
  readonly runFolders: readonly RunFolder[];
  close(): void;
}

export interface StoredCheckpoint {
  step: number;
  /** `checkpoints/step-NNNNNN`. */
  folder: string;
  bytes: number;
  complete: boolean;
  reason?: string;
  metrics?: Record<string, number>;
}

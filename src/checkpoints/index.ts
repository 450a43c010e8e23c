export {
  verifyCheckpoint,
  readManifest,
  sha256File,
  stampMetrics,
  Manifest,
  type Verdict,
} from "./manifest.js";
export { bestStep, prunable, type KeepBest } from "./retention.js";
export { listCheckpoints, newestComplete, type CheckpointInfo } from "./local-store.js";
export { S3Store, type RemoteCheckpoint, type S3Options } from "./s3-store.js";
export { partSizeFor } from "./s3-multipart.js";
export { isS3Uri, parseS3Uri, formatS3Uri, joinKey, type S3Location } from "./s3-uri.js";
export { openS3 } from "./store-config.js";
export { Uploader, storeFolder, type UploadJob, type UploadResult } from "./uploader.js";
export { RUN_FOLDERS, isRunFolder, verifyFolders, type FolderCheck, type RunFolder } from "./run-folders.js";
export { describeStore, probeStore } from "./s3-probe.js";
export type { CheckpointStore, StoredCheckpoint } from "./store.js";
export { LocalDirStore } from "./local-dir-store.js";
export { S3CheckpointStore } from "./s3-checkpoint-store.js";
export { keptIn, openStore, storeFor, type StoreOptions } from "./open-store.js";
export { STEP_DIR, parseStep, stepFolder, stepName } from "./step-folder.js";

export { verifyCheckpoint, readManifest, sha256File, Manifest } from "./manifest.js";
export { listCheckpoints, newestComplete, type CheckpointInfo } from "./local-store.js";

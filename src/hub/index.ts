// The Hugging Face Hub: resolve and preflight base models, download them into the standard cache, read
// hf:// datasets, publish adapters. The only module that imports @huggingface/hub.
export { hubCacheDir, hubEndpoint, hubToken } from "./env.js";
export { isHubModelId, parseModelRef, type HubRef } from "./model-ref.js";
export { snapshotRepoFolder } from "./cache-layout.js";
export { materializeSnapshot } from "./materialize.js";
export { pullModel, type PulledModel } from "./pull.js";
export { checkHubBaseModel, describeHubModel, prepareHubBaseModel, type HubBaseModel } from "./run-model.js";
export { localDatasetFile } from "./dataset-file.js";
export { isHubDatasetUri, parseDatasetUri } from "./dataset-uri.js";
export { publishRun, type PublishOptions, type PublishResult } from "./publish/publish-run.js";

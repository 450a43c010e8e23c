// training.init_adapter: an adapter (a run's or a directory) a run starts from; checked, copied, recorded.
export { ADAPTER_FILES, adapterLora, readAdapterConfig } from "./adapter-config.js";
export { findInitAdapter, initAdapterLines, sameBase, type FoundAdapter } from "./find.js";
export { copyInitAdapter, verifyInitAdapter, type InitAdapterRecord } from "./copy.js";

// training.init_adapter: an adapter (a run's or a directory) a run starts from; checked, copied, recorded.
export { ADAPTER_FILES, COMPARE_TO, adapterLora, readAdapterConfig } from "./adapter-config.js";
export { findAdapter, findInitAdapter, initAdapterLines, sameBase, type FoundAdapter } from "./find.js";
export { copyInitAdapter, verifyInitAdapter, type InitAdapterRecord } from "./copy.js";

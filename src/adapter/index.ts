// Serving: whether an adapter loads in the engines that serve it (vLLM, TGI, plain peft), checked on its files.
export { readAdapter, ADAPTER_CONFIG, ADAPTER_WEIGHTS, type AdapterFiles } from "./adapter-files.js";
export { checkAdapter } from "./check.js";
export { servingWarnings, warningLine } from "./config-warnings.js";
export {
  SERVING_TARGETS,
  TARGET_NAMES,
  failsTarget,
  findingLine,
  type Finding,
  type ServingTarget,
} from "./findings.js";
export type { BaseModel } from "./module-checks.js";
export { readModelShapes } from "./safetensors-header.js";
export { locateAdapter, loadBase, type Located } from "./locate.js";
export { exportAdapter, type ExportOptions } from "./export.js";

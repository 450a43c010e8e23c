import type { AdapterFiles } from "./adapter-files.js";
import type { Finding, ServingTarget } from "./findings.js";
import { moduleFindings, type BaseModel } from "./module-checks.js";
import { configFindings } from "./serving-rules.js";

/** Everything the target engine would refuse or serve differently, for one adapter. */
export function checkAdapter(adapter: AdapterFiles, target: ServingTarget, base?: BaseModel): Finding[] {
  const findings = [...configFindings(adapter.config, target), ...moduleFindings(adapter, target, base)];
  if (!base) {
    findings.push({
      severity: "warning",
      setting: "base_model_name_or_path",
      value: String(adapter.config.base_model_name_or_path ?? "missing"),
      message: "the base model is not on disk here: target modules and shapes were not checked against it",
      fix: "pass --base <model dir>",
    });
  }
  return findings;
}

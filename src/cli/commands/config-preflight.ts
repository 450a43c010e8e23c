import type { RunConfig } from "../../config/index.js";
import { checkHubBaseModel, isHubModelId } from "../../hub/index.js";

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** `config validate --preflight`: what the run's base-model stage checks, printed, without downloading. */
export async function hubPreflightLines(config: RunConfig): Promise<string[]> {
  if (!isHubModelId(config.base_model))
    return ["  preflight   the base model is not a hub id: nothing to resolve"];
  const { ref, model, facts, warnings } = await checkHubBaseModel(config, { onProgress: () => {} });
  const lines = [
    `  hub model   ${ref.id}@${ref.revision} → ${model.sha}`,
    `  access      ${model.private ? "private" : "public"}${model.gated ? `, gated (${model.gated}): access granted` : ""}`,
    `  license     ${model.license ?? "not stated"}`,
  ];
  if (facts) lines.push(`  parameters  ${facts.parameters.toLocaleString("en-US")} (${facts.dtype})`);
  if (facts?.estimate) {
    const e = facts.estimate;
    const chosen = config.training.gradient_checkpointing ? "with" : "without";
    lines.push(
      `  gpu memory  ~${gib(e.total.plain)} without gradient checkpointing, ~${gib(e.total.checkpointed)} with (this config: ${chosen})`,
    );
  }
  return [...lines, ...warnings.map((warning) => `  warning     ${warning}`)];
}

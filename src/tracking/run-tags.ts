import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { sha256File } from "../dataset/format/hash.js";
import { gitCommit } from "../launch/index.js";

export interface RunFacts {
  runId: string;
  configFile: string;
  configHash: string;
  /** base_model as the config names it, and the directory or hub id the trainer loaded. */
  baseModel: string;
  resolvedModel: string;
  runtime: string;
  trainFile?: string;
  evalFile?: string | null;
}

/**
 * What identifies a run wherever it is tracked: its id, the git commit of the config's repository, the sha256
 * of the data it trained on, and the base model with its revision. MLflow's own tag names where it has them.
 */
export async function runTags(facts: RunFacts): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    "pipeline.run_id": facts.runId,
    "pipeline.config_sha256": facts.configHash,
    "pipeline.base_model": facts.baseModel,
    "pipeline.runtime": facts.runtime,
    "mlflow.source.name": facts.configFile,
    "mlflow.source.type": "LOCAL",
  };
  const commit = await gitCommit(dirname(facts.configFile));
  if (commit) tags["mlflow.source.git.commit"] = tags["pipeline.git_commit"] = commit;
  if (facts.trainFile && existsSync(facts.trainFile))
    tags["pipeline.data_sha256"] = await sha256File(facts.trainFile);
  if (facts.evalFile && existsSync(facts.evalFile))
    tags["pipeline.eval_data_sha256"] = await sha256File(facts.evalFile);
  const revision = modelRevision(facts.resolvedModel);
  if (revision) tags["pipeline.base_model_revision"] = revision;
  return tags;
}

/**
 * A hub model's commit from the Hugging Face cache (refs/main, or the snapshot folder a path points into);
 * for a local directory, a fingerprint of its config.json and its files' names and sizes.
 */
export function modelRevision(model: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const snapshot = /\/snapshots\/([0-9a-f]{40})(\/|$)/.exec(model);
  if (snapshot) return snapshot[1];
  if (isAbsolute(model)) return fingerprint(model);
  const hub = env.HF_HUB_CACHE ?? join(env.HF_HOME ?? join(homedir(), ".cache", "huggingface"), "hub");
  const ref = join(hub, `models--${model.replace("/", "--")}`, "refs", "main");
  return existsSync(ref) ? readFileSync(ref, "utf8").trim() : undefined;
}

function fingerprint(dir: string): string {
  if (!existsSync(join(dir, "config.json"))) return basename(dir);
  const hash = createHash("sha256").update(readFileSync(join(dir, "config.json")));
  for (const name of readdirSync(dir).sort()) {
    const stat = statSync(join(dir, name));
    if (stat.isFile()) hash.update(`\0${name}\0${stat.size}`);
  }
  return `local-${hash.digest("hex").slice(0, 12)}`;
}

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type KeepBest,
  type S3Store,
  isS3Uri,
  joinKey,
  openS3,
  parseS3Uri,
  runKeys,
  s3StoreFor,
} from "../../checkpoints/index.js";
import { loadConfig } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import { runPaths } from "../../run-dir/index.js";

export interface TargetOptions {
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
}

interface Retention {
  keepLast?: number;
  keepBest?: KeepBest;
}

/**
 * Where `pipeline checkpoints …` looks: a bucket (`key`: the run's checkpoints folder, `runKey`: the run's
 * folder above it, which holds adapter/, state/ and report/ too) or a run directory.
 */
export type Target =
  | ({ kind: "s3"; store: S3Store; key: string; runKey: string } & Retention)
  | ({ kind: "local"; dir: string; runDir: string } & Retention);

export async function withTarget(
  target: string,
  options: TargetOptions,
  work: (t: Target) => Promise<number>,
) {
  const t = await resolveTarget(target, options);
  try {
    return await work(t);
  } finally {
    if (t.kind === "s3") t.store.destroy();
  }
}

/** A run id (its config says which store) or an s3:// URI of a run (…/<run-id> or …/<run-id>/checkpoints). */
async function resolveTarget(target: string, options: TargetOptions): Promise<Target> {
  if (isS3Uri(target)) {
    const location = parseS3Uri(target);
    const store = openS3(`s3://${location.bucket}`, {
      endpoint: options.endpoint,
      region: options.region,
      pathStyle: options.pathStyle,
    });
    const runKey = location.prefix.replace(/(^|\/)checkpoints$/, "");
    return { kind: "s3", store, key: joinKey(runKey, "checkpoints"), runKey };
  }
  const paths = runPaths(options.runsDir, target);
  if (!existsSync(paths.resolvedConfig)) {
    throw new UsageError("unknown-run", `no run ${target} in ${resolve(options.runsDir)}`, {
      hint: "give a run id from `pipeline runs list` (with --runs-dir), or the run's s3:// URI",
    });
  }
  const { config } = await loadConfig(paths.resolvedConfig, { checkFiles: false });
  const retention = { keepLast: config.checkpoints.keep_last, keepBest: config.checkpoints.keep_best };
  const store = s3StoreFor(config.checkpoints);
  if (store) {
    const keys = runKeys(store, target);
    return { kind: "s3", store, key: keys.checkpoints, runKey: keys.run, ...retention };
  }
  return { kind: "local", dir: paths.checkpoints, runDir: paths.dir, ...retention };
}

export const describeTarget = (t: Target) =>
  t.kind === "s3" ? `s3://${t.store.location.bucket}/${t.key}` : t.dir;

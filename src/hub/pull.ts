import { hubCacheDir } from "./env.js";
import { hubAccess } from "./access.js";
import { cachedSnapshot, downloadSnapshot, type DownloadResult } from "./download.js";
import type { HubRef } from "./model-ref.js";
import { formatProgress } from "./progress.js";
import { checkFileAccess, resolveModel, type ResolvedModel } from "./resolve.js";
import { trainingFiles } from "./select-files.js";

export interface PulledModel extends DownloadResult {
  model: ResolvedModel;
}

/**
 * Resolves a model and downloads what training needs into the Hugging Face cache (a caller that passes
 * `resolved` has checked file access already); `onProgress` gets a
 * line with bytes, rate and time left a few times a second while bytes flow.
 */
export async function pullModel(
  ref: HubRef,
  onProgress: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
  resolved?: ResolvedModel,
): Promise<PulledModel> {
  const access = hubAccess(env);
  const model = resolved ?? (await resolveModel(ref, access));
  const files = trainingFiles(model.files);
  if (!resolved && !(await cachedSnapshot(ref, model.sha, files, hubCacheDir(env))))
    await checkFileAccess(model, access);
  const label = `${ref.id}@${model.sha.slice(0, 8)}`;
  const result = await downloadSnapshot(ref, model.sha, files, {
    cacheDir: hubCacheDir(env),
    access,
    onProgress: (p) => {
      if (p.total > 0) onProgress(`downloading ${label}: ${formatProgress(p)}`);
    },
  });
  return { ...result, model };
}

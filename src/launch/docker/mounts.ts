import { basename, isAbsolute, join, posix, relative, sep } from "node:path";
import type { TrainSpec } from "../../config/train-spec.js";
import { snapshotRepoFolder } from "../../hub/index.js";

/** Where things live inside the trainer container. */
export const CONTAINER = {
  runDir: "/run-dir",
  model: "/model",
  hubCache: "/hf-cache",
  data: "/data",
  secrets: "/run/secrets/pipeline.env",
} as const;

export interface Mount {
  source: string;
  target: string;
  readonly: boolean;
}

/** A host path inside the run directory → its path in the container; undefined when outside. */
export function runDirPath(runDir: string, path: string): string | undefined {
  const rel = relative(runDir, path);
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel === "" ? CONTAINER.runDir : join(CONTAINER.runDir, ...rel.split(sep));
}

/** A container path under the mounted run directory → its host path; undefined when elsewhere. */
export function hostPathOf(runDir: string, containerPath: string): string | undefined {
  const rel = posix.relative(CONTAINER.runDir, containerPath);
  if (rel.startsWith("..") || posix.isAbsolute(rel)) return undefined;
  return rel === "" ? runDir : join(runDir, ...rel.split("/"));
}

/**
 * The bind mounts a spec needs, and the spec with container paths. The run directory is the one writable
 * mount (checkpoints, adapter); the base model and any dataset outside the run directory are read-only.
 * The base model is mounted as {@link modelMount} says.
 */
export function planMounts(spec: TrainSpec, runDir: string): { mounts: Mount[]; spec: TrainSpec } {
  const mounts: Mount[] = [{ source: runDir, target: CONTAINER.runDir, readonly: false }];
  const inRunDir = (path: string) => runDirPath(runDir, path);
  const dataFile = (path: string, name: string) => {
    const mapped = inRunDir(path);
    if (mapped !== undefined) return mapped;
    const target = `${CONTAINER.data}/${name}-${basename(path)}`;
    mounts.push({ source: path, target, readonly: true });
    return target;
  };
  const model = modelMount(spec.base_model);
  if (model.mount) mounts.push(model.mount);
  const baseModel = model.path;
  const outputPath = (path: string, what: string) => {
    const mapped = inRunDir(path);
    if (mapped === undefined) throw new Error(`${what} ${path} is outside the run directory ${runDir}`);
    return mapped;
  };
  return {
    mounts,
    spec: {
      ...spec,
      base_model: baseModel,
      data: {
        train: dataFile(spec.data.train, "train"),
        eval: spec.data.eval === null ? null : dataFile(spec.data.eval, "eval"),
      },
      output: {
        checkpoint_dir: outputPath(spec.output.checkpoint_dir, "checkpoint_dir"),
        adapter_dir: outputPath(spec.output.adapter_dir, "adapter_dir"),
      },
      resume_from: spec.resume_from === null ? null : outputPath(spec.resume_from, "resume_from"),
      // The run's own copy (init-adapter/): inside the run directory, so the run-dir mount carries it.
      init_adapter: spec.init_adapter === null ? null : outputPath(spec.init_adapter, "init_adapter"),
    },
  };
}

/**
 * How a base model reaches a container on a local engine: a hub id stays as it is; a snapshot in the
 * Hugging Face cache is a folder of links into its repo's blobs/, so the whole repo folder is mounted
 * (read-only) and the path points at the snapshot inside it; any other folder is mounted at /model.
 */
export function modelMount(baseModel: string): { path: string; mount?: Mount } {
  if (!isAbsolute(baseModel)) return { path: baseModel };
  const hubRepo = snapshotRepoFolder(baseModel);
  if (!hubRepo)
    return { path: CONTAINER.model, mount: { source: baseModel, target: CONTAINER.model, readonly: true } };
  const target = posix.join(CONTAINER.hubCache, basename(hubRepo));
  return {
    path: posix.join(target, ...relative(hubRepo, baseModel).split(sep)),
    mount: { source: hubRepo, target, readonly: true },
  };
}

/** One `--mount` value; a field holding a comma or a quote is CSV-quoted, as docker parses it. */
export function mountFlag(mount: Mount): string {
  const field = (value: string) => (/[",]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const parts = ["type=bind", field(`source=${mount.source}`), field(`target=${mount.target}`)];
  if (mount.readonly) parts.push("readonly");
  return parts.join(",");
}

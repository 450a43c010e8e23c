import { basename, isAbsolute, join, posix } from "node:path";
import type { TrainSpec } from "../../config/train-spec.js";

/**
 * Where things live in a container on a remote engine (no shared filesystem): inputs are copied under
 * /pipeline/in before the start, the trainer writes under /pipeline/run (the container's own filesystem,
 * removed with it), and each checkpoint and the adapter are copied back as they are announced.
 */
export const REMOTE = {
  root: "/pipeline",
  spec: "/pipeline/in/spec.json",
  data: "/pipeline/in/data",
  model: "/pipeline/in/model",
  resume: "/pipeline/in/resume",
  run: "/pipeline/run",
} as const;

export interface Copy {
  /** A local path (file or folder). */
  source: string;
  /** Its path in the container; its parent exists (the staged skeleton makes it). */
  target: string;
}

export interface Transfer {
  /** The spec the trainer reads, with container paths. */
  spec: TrainSpec;
  /** Local inputs to copy in before the start. */
  copiesIn: Copy[];
  /** Container output folders and the local folders they are copied back to. */
  outputs: { checkpoints: Copy; adapter: Copy };
}

/**
 * The copies a spec needs on an engine that cannot see this machine's files. Pure. A base_model that is
 * not an absolute path is a hub id: the container downloads it (when its network allows).
 */
export function planTransfer(spec: TrainSpec): Transfer {
  const copiesIn: Copy[] = [];
  const copy = (source: string, target: string) => (copiesIn.push({ source, target }), target);
  const baseModel = isAbsolute(spec.base_model) ? copy(spec.base_model, REMOTE.model) : spec.base_model;
  const train = copy(spec.data.train, `${REMOTE.data}/train.jsonl`);
  const evalFile = spec.data.eval === null ? null : copy(spec.data.eval, `${REMOTE.data}/eval.jsonl`);
  const resume =
    spec.resume_from === null
      ? null
      : copy(spec.resume_from, `${REMOTE.resume}/${basename(spec.resume_from)}`);
  const checkpoints = `${REMOTE.run}/checkpoints`;
  const adapter = `${REMOTE.run}/adapter`;
  return {
    spec: {
      ...spec,
      base_model: baseModel,
      data: { train, eval: evalFile },
      output: { checkpoint_dir: checkpoints, adapter_dir: adapter },
      resume_from: resume,
    },
    copiesIn,
    outputs: {
      checkpoints: { source: spec.output.checkpoint_dir, target: checkpoints },
      adapter: { source: spec.output.adapter_dir, target: adapter },
    },
  };
}

/**
 * A path the trainer announced (a checkpoint folder, the adapter) → the local path it is copied to;
 * undefined when it is not under one of the outputs (the trainer would have written elsewhere).
 */
export function localPathOf(transfer: Transfer, containerPath: string): string | undefined {
  for (const out of [transfer.outputs.checkpoints, transfer.outputs.adapter]) {
    const rel = posix.relative(out.target, containerPath);
    if (rel.startsWith("..") || posix.isAbsolute(rel)) continue;
    return rel === "" ? out.source : join(out.source, ...rel.split("/"));
  }
  return undefined;
}

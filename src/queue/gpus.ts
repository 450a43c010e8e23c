import { UsageError } from "../errors/index.js";
import { discoverGpus, type Gpu } from "../launch/gpus.js";

export { discoverGpus, parseNvidiaSmi, type Gpu } from "../launch/gpus.js";

/** `--gpus 0,1,3` → [0, 1, 3]. */
export function parseGpuList(text: string): number[] {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) {
    throw new UsageError(
      "bad-gpus",
      `--gpus ${text}: expected GPU indices separated by commas, e.g. 0,1,2,3`,
    );
  }
  return [...new Set(parts.map(Number))];
}

/**
 * The devices a worker owns: `--cpu` → none; otherwise the GPUs nvidia-smi finds, narrowed by `--gpus`.
 * No nvidia-smi and no --cpu is a usage error that says what to pass.
 */
export function workerDevices(
  options: { gpus?: string; cpu?: boolean },
  discover: () => Gpu[] | undefined = discoverGpus,
): { gpus: Gpu[]; deviceType: string } {
  if (options.cpu) {
    if (options.gpus !== undefined)
      throw new UsageError("gpus-and-cpu", "pass either --gpus or --cpu, not both");
    return { gpus: [], deviceType: "cpu" };
  }
  const found = discover();
  if (!found || found.length === 0) {
    throw new UsageError("no-gpus", "no GPU found: nvidia-smi is not installed or reports no GPU", {
      hint: "run a CPU worker with `pipeline worker --cpu`, or install the NVIDIA driver",
    });
  }
  if (options.gpus === undefined) return { gpus: found, deviceType: found[0]!.name };
  const wanted = parseGpuList(options.gpus);
  const missing = wanted.filter((index) => !found.some((gpu) => gpu.index === index));
  if (missing.length > 0) {
    throw new UsageError(
      "unknown-gpu",
      `--gpus ${options.gpus}: no GPU ${missing.join(", ")} on this machine`,
      {
        hint: `nvidia-smi reports ${found.map((gpu) => gpu.index).join(", ")}`,
      },
    );
  }
  const gpus = found.filter((gpu) => wanted.includes(gpu.index));
  return { gpus, deviceType: gpus[0]!.name };
}

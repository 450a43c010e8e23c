import { spawnSync } from "node:child_process";
import { UsageError } from "../errors/index.js";

export interface Gpu {
  index: number;
  name: string;
  memoryMiB: number | null;
}

/**
 * Parses `nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader`: one `0, NVIDIA H100 80GB
 * HBM3, 81559 MiB` line per GPU. Blank lines, a header and `[N/A]` memory are tolerated; a line without
 * an integer index is skipped (nvidia-smi prints warnings on stdout on some drivers).
 */
export function parseNvidiaSmi(text: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length < 2 || !/^\d+$/.test(fields[0]!)) continue;
    const memory = /^(\d+(?:\.\d+)?)\s*(MiB|GiB)?$/i.exec(fields.at(-1) ?? "");
    const name = (fields.length > 2 ? fields.slice(1, -1) : fields.slice(1)).join(",").trim();
    gpus.push({
      index: Number(fields[0]),
      name,
      memoryMiB: memory ? Number(memory[1]) * (memory[2]?.toLowerCase() === "gib" ? 1024 : 1) : null,
    });
  }
  return gpus;
}

/** The GPUs nvidia-smi reports, or undefined when it is not installed or fails. */
export function discoverGpus(command = "nvidia-smi"): Gpu[] | undefined {
  const result = spawnSync(command, ["--query-gpu=index,name,memory.total", "--format=csv,noheader"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.error || result.status !== 0) return undefined;
  return parseNvidiaSmi(result.stdout);
}

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

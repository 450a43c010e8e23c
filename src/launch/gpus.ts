import { spawnSync } from "node:child_process";

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

/** CUDA_VISIBLE_DEVICES as indices: undefined when unset, [] when set empty (no GPU). */
export function visibleDevices(env = process.env): number[] | undefined {
  const value = env.CUDA_VISIBLE_DEVICES;
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
}

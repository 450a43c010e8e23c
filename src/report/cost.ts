import type { Report } from "./schema.js";

/** GPU-hours are wall hours × GPUs (0 on CPU); no configured price means no cost section at all. */
export function computeCost(
  wallTimeS: number,
  gpus: number,
  pricePerGpuHour: number | null | undefined,
  currency = "USD",
): Report["cost"] {
  if (pricePerGpuHour === null || pricePerGpuHour === undefined) return null;
  const gpuHours = (wallTimeS / 3600) * gpus;
  return {
    gpus,
    gpu_hours: gpuHours,
    price_per_gpu_hour: pricePerGpuHour,
    currency,
    total: gpuHours * pricePerGpuHour,
  };
}

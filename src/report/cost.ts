import type { Report } from "./schema.js";

/**
 * Device-hours are wall hours × GPUs, a CPU-only run counting as one device (the machine is paid for too; a
 * worker prices CPU jobs at its `cpu` rate); no configured price means no cost section at all.
 */
export function computeCost(
  wallTimeS: number,
  gpus: number,
  pricePerGpuHour: number | null | undefined,
  currency = "USD",
): Report["cost"] {
  if (pricePerGpuHour === null || pricePerGpuHour === undefined) return null;
  const gpuHours = (wallTimeS / 3600) * Math.max(gpus, 1);
  return {
    gpus,
    gpu_hours: gpuHours,
    price_per_gpu_hour: pricePerGpuHour,
    currency,
    total: gpuHours * pricePerGpuHour,
  };
}

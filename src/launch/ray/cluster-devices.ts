import type { Gpu } from "../gpus.js";
import { RayJobsApi } from "./jobs-api.js";
import { rayToken } from "./token.js";

interface ClusterStatus {
  data: { clusterStatus: { loadMetricsReport: { usage: Record<string, [number, number]> } } };
}

/**
 * What a `pipeline worker --ray <address>` hands out: the cluster's free GPUs as slots (GPU jobs), its free
 * CPUs as slots for jobs that ask for none, and the GPU type its nodes report (Ray's `accelerator_type:…`
 * resource; "cpu" on a CPU cluster), which prices each attempt.
 */
export async function rayClusterDevices(
  address: string,
  env = process.env,
): Promise<{ gpus: Gpu[]; cpuSlots: number; deviceType: string }> {
  const api = new RayJobsApi(address, rayToken(env));
  const status = await api.get<ClusterStatus>("/api/cluster_status");
  const usage = status.data.clusterStatus.loadMetricsReport.usage;
  const free = (name: string) => Math.floor((usage[name]?.[1] ?? 0) - (usage[name]?.[0] ?? 0));
  const type = Object.keys(usage).find((key) => key.startsWith("accelerator_type:"));
  const deviceType = type ? type.slice("accelerator_type:".length) : free("GPU") > 0 ? "gpu" : "cpu";
  const gpus = [...Array(free("GPU")).keys()].map((index) => ({ index, name: deviceType, memoryMiB: null }));
  return { gpus, cpuSlots: Math.max(free("CPU"), 1), deviceType };
}

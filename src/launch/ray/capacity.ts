import { UsageError } from "../../errors/index.js";
import type { NodeSummary } from "./jobs-api.js";

export interface Capacity {
  /** Alive nodes that can hold one worker each. */
  fitting: number;
  /** The GPU type the nodes report (`accelerator_type:H100` → "H100"), or "cpu" on a CPU cluster. */
  deviceType: string;
  description: string;
}

/**
 * Whether the cluster can place the run: one worker per node (STRICT_SPREAD), each needing gpus_per_worker GPUs
 * (or one CPU). A cluster that cannot is refused before any data is formatted, saying what it has. Pure.
 */
export function clusterCapacity(
  nodes: NodeSummary[],
  want: { num_workers: number; gpus_per_worker: number; address: string },
): Capacity {
  const alive = nodes.filter((n) => n.raylet.state === "ALIVE");
  const fits = (n: NodeSummary) =>
    want.gpus_per_worker > 0
      ? (n.raylet.resourcesTotal.GPU ?? 0) >= want.gpus_per_worker
      : (n.raylet.resourcesTotal.CPU ?? 0) >= 1;
  const fitting = alive.filter(fits).length;
  const types = alive.flatMap((n) =>
    Object.keys(n.raylet.resourcesTotal)
      .filter((key) => key.startsWith("accelerator_type:"))
      .map((key) => key.slice("accelerator_type:".length)),
  );
  const deviceType = types[0] ?? (want.gpus_per_worker > 0 ? "gpu" : "cpu");
  const description = `${alive.length} node(s), ${fitting} that fit a worker (${deviceType})`;
  if (fitting < want.num_workers) {
    const need = want.gpus_per_worker > 0 ? `${want.gpus_per_worker} GPU(s)` : "a CPU";
    throw new UsageError("ray-too-small", `the Ray cluster at ${want.address} has ${description}`, {
      hint: `runtime.num_workers is ${want.num_workers}, each on its own node with ${need}: lower num_workers or gpus_per_worker, or add nodes`,
    });
  }
  return { fitting, deviceType, description };
}

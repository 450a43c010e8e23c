import { join, resolve } from "node:path";
import { UsageError } from "../../errors/index.js";
import { packageRoot, rayClusterDevices, type Gpu } from "../../launch/index.js";
import { backoffFromEnv, runWorker, workerDevices } from "../../queue/index.js";
import { workerHooks } from "../queue/hooks.js";
import { withDb } from "../queue/open.js";

interface WorkerCommandOptions {
  db?: string;
  gpus?: string;
  cpu?: boolean;
  once?: boolean;
  pollMs: string;
  leaseS: string;
  runsDir: string;
  metricsPort?: string;
  ray?: string;
}

/** `pipeline worker`: runs queued jobs on this machine's GPUs (or CPU) until stopped (or, with --once, idle). */
export async function worker(options: WorkerCommandOptions): Promise<number> {
  const devices: { gpus: Gpu[]; deviceType: string; cpuSlots?: number } = options.ray
    ? await rayClusterDevices(options.ray)
    : workerDevices(options);
  // A Ray worker's runs go to its cluster: fresh runs get it as their runtime, resumed ones kept it.
  const runSet = options.ray ? ["runtime.type=ray", `runtime.address=${options.ray}`] : [];
  const pollMs = positive("--poll-ms", options.pollMs);
  const leaseMs = positive("--lease-s", options.leaseS) * 1000;
  const metricsPort =
    options.metricsPort === undefined ? undefined : positive("--metrics-port", options.metricsPort);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await withDb(options.db, async (db) =>
      runWorker(
        {
          db,
          gpus: devices.gpus,
          deviceType: devices.deviceType,
          cpuSlots: devices.cpuSlots,
          runSet,
          runsDir: resolve(options.runsDir),
          bin: join(packageRoot, "bin/pipeline.js"),
          pollMs,
          leaseMs,
          once: Boolean(options.once),
          ...(metricsPort !== undefined && { metricsPort }),
          backoff: backoffFromEnv(),
          signal: stop.signal,
        },
        await workerHooks(db, { deviceType: devices.deviceType }),
      ),
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError("bad-option", `${flag} ${text}: expected a whole number > 0`);
  }
  return value;
}

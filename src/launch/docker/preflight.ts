import type { DockerRuntime } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import { gpusValue, MANAGED_LABEL, RUN_ID_LABEL } from "./args.js";
import { assertDaemon, assertImage, docker, resolveEngine } from "./cli.js";
import { describeEngine, engineFor, type EngineInfo } from "./engine.js";
import { totalBytes } from "../disk.js";
import { diskNeed, formatBytes, parseDfAvailable, wantsGpus } from "./preflight-rules.js";

export interface DockerPreflight {
  info: EngineInfo;
  imageId: string;
}

/**
 * Everything the engine must offer before any data is formatted: the daemon answers, the image is there,
 * GPUs are visible when the config asks for them, and its data root has room. Each failure is one
 * UsageError (exit 2) saying what to do. `inputs` are the local paths a remote engine gets copies of.
 */
export async function dockerPreflight(
  runtime: DockerRuntime,
  options: { device: string; inputs: string[]; runId: string; onProgress: (line: string) => void },
): Promise<DockerPreflight> {
  const info = await resolveEngine(engineFor(runtime));
  const where = describeEngine(info.engine, info.endpoint);
  options.onProgress(`contacting the Docker engine at ${where}`);
  await assertDaemon(info.engine, info.endpoint);
  const imageId = await assertImage(runtime.image, info.engine);
  if (wantsGpus(options.device, runtime.gpus)) {
    options.onProgress("looking for GPUs");
    await assertGpus(runtime, info, where, options.runId);
  }
  options.onProgress("checking free disk");
  const inputBytes = info.remote ? await totalBytes(options.inputs) : 0;
  const need = diskNeed({ remote: info.remote, inputBytes, configured: runtime.min_free_disk });
  const df = await probe(info, probeArgs(runtime.image, options.runId, ["--entrypoint", "df"], ["-Pk", "/"]));
  const free = parseDfAvailable(df);
  if (free < need) {
    throw new UsageError(
      "docker-disk-full",
      `the Docker engine at ${where} has ${formatBytes(free)} free in its data root; this run needs ${formatBytes(need)}`,
      {
        hint:
          "free space on that host (`docker system prune`, remove old images), or move its data root; " +
          `runtime.min_free_disk (now ${runtime.min_free_disk ?? "derived from the inputs"}) sets the threshold`,
      },
    );
  }
  return { info, imageId };
}

async function assertGpus(runtime: DockerRuntime, info: EngineInfo, where: string, runId: string) {
  const gpus = ["--gpus", gpusValue(runtime.gpus), "--entrypoint", "true"];
  const result = await docker(probeArgs(runtime.image, runId, gpus, []), info.engine);
  if (!result.failed) return;
  const reason = String(result.stderr).trim().split("\n").at(-1);
  throw new UsageError(
    "docker-no-gpu",
    `no GPU is visible to the Docker engine at ${where}, but the config asks for one (runtime.gpus: ${runtime.gpus})`,
    {
      hint:
        `docker said: ${reason}\n` +
        "on the engine's host: install the NVIDIA driver and the NVIDIA Container Toolkit, run " +
        "`nvidia-ctk runtime configure --runtime=docker` and restart dockerd; or train on CPU with device: cpu " +
        "(or runtime.gpus: none)",
    },
  );
}

/**
 * A throwaway container of the trainer image, labelled like the run's trainer (so `runs cleanup` finds one
 * left by a crash, and says whose it was).
 */
function probeArgs(image: string, runId: string, flags: string[], command: string[]): string[] {
  const labels = ["--label", MANAGED_LABEL, "--label", `${RUN_ID_LABEL}=${runId}`];
  return ["run", "--rm", ...labels, "--network", "none", ...flags, image, ...command];
}

async function probe(info: EngineInfo, args: string[]): Promise<string> {
  const result = await docker(args, info.engine);
  if (result.failed) throw new Error(`docker probe failed: ${String(result.stderr).trim()}`);
  return String(result.stdout);
}

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { eventsFromLines } from "../event-lines.js";
import type { StartOptions, TrainerExit, TrainerHandle } from "../runtime.js";
import { dockerRunArgs } from "./args.js";
import { docker } from "./cli.js";
import { mapExit, type ContainerState } from "./exit.js";
import { planMounts } from "./mounts.js";
import { assertReadable } from "./readable.js";
import { writeSecretsFile } from "./secrets.js";
import { containerUser, handOver, parseUser } from "./user.js";

export interface DockerStart extends StartOptions {
  spec: TrainSpec;
  runDir: string;
}

/**
 * The `docker` runtime: the trainer image run attached (`docker run`, stdout = the event stream, stderr →
 * the trainer log). The container is kept until its state is read (exit code, OOM-killed), then removed.
 * Secrets go in as a mounted 0600 file that is deleted once the container has started.
 */
export async function startDocker(runtime: DockerRuntime, options: DockerStart): Promise<TrainerHandle> {
  const host = runtime.host;
  const name = `pipeline-${options.spec.run_id}-${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  const user = containerUser(runtime.user, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const owner = parseUser(user);
  const asRoot = process.getuid?.() === 0;
  // The trainer writes checkpoints, and swaps the adapter in beside them (.tmp-adapter in the run dir).
  if (asRoot && owner.uid !== 0)
    await handOver(
      options.runDir,
      [options.spec.output.checkpoint_dir, options.spec.output.adapter_dir],
      owner,
    );
  const plan = planMounts(options.spec, options.runDir);
  await assertReadable(
    plan.mounts.filter((m) => m.readonly).map((m) => m.source),
    owner,
  );
  const specFile = join(options.runDir, "spec.docker.json");
  const containerSpec = plan.spec;
  await writeFile(specFile, JSON.stringify(containerSpec, null, 2) + "\n");
  const secrets = await writeSecretsFile(options.env ?? process.env, asRoot ? owner : undefined);
  const args = dockerRunArgs(options.spec, runtime, {
    name,
    runDir: options.runDir,
    specFile,
    user,
    ...(secrets && { secretsFile: secrets.path }),
  });
  const child = docker(args, host, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: { file: options.logPath, append: true },
    buffer: false,
    forceKillAfterDelay: false,
  });
  let exited = false;
  const exit: Promise<TrainerExit> = (async () => {
    try {
      const result = await child;
      return mapExit(await inspectState(name, host), result.exitCode, runtime.memory);
    } finally {
      exited = true;
      await secrets?.remove();
      await docker(["rm", "--force", name], host);
    }
  })();

  return {
    // A line from the trainer means the container runs: its mount of the secrets file is in place.
    events: eventsFromLines(child.iterable({ from: "stdout" }), options.logPath, () => secrets?.remove()),
    wait: () => exit,
    async cancel(graceMs = 120_000) {
      if (exited) return;
      // docker stop: SIGTERM (the trainer saves a checkpoint and exits 130), SIGKILL after the grace.
      await docker(["stop", "--time", String(Math.ceil(graceMs / 1000)), name], host);
      await exit;
    },
  };
}

async function inspectState(name: string, host: string | undefined): Promise<ContainerState | undefined> {
  const result = await docker(["inspect", "--format", "{{json .State}}", name], host);
  return result.failed ? undefined : (JSON.parse(String(result.stdout)) as ContainerState);
}

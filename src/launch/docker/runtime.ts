import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import type { StartOptions, TrainerHandle } from "../runtime.js";
import { dockerRunArgs } from "./args.js";
import { docker } from "./cli.js";
import type { EngineInfo } from "./engine.js";
import { attachedHandle } from "./handle.js";
import { hostPathOf, planMounts } from "./mounts.js";
import { assertReadable } from "./readable.js";
import { startRemote } from "./remote.js";
import { writeSecretsFile } from "./secrets.js";
import { containerUser, handOver, parseUser } from "./user.js";

export interface DockerStart extends StartOptions {
  spec: TrainSpec;
  runDir: string;
  /** The engine preflight resolved: a remote one gets copies, a local one bind mounts. */
  engine: EngineInfo;
}

/** The `docker` runtime: the trainer image on the engine the run resolved, local or remote. */
export async function startDocker(runtime: DockerRuntime, options: DockerStart): Promise<TrainerHandle> {
  const name = `pipeline-${options.spec.run_id}-${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  if (options.engine.remote) return startRemote(runtime, { ...options, name });
  return startMounted(runtime, { ...options, name });
}

/**
 * On a local engine: `docker run` attached (stdout = the event stream, stderr → the trainer log), the run
 * directory bind-mounted for outputs, inputs read-only. Secrets go in as a mounted 0600 file that is
 * deleted once the container has started (a line from the trainer means its mount is in place).
 */
async function startMounted(
  runtime: DockerRuntime,
  options: DockerStart & { name: string },
): Promise<TrainerHandle> {
  const engine = options.engine.engine;
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
  await writeFile(specFile, JSON.stringify(plan.spec, null, 2) + "\n");
  const secrets = await writeSecretsFile(options.env ?? process.env, asRoot ? owner : undefined);
  const args = dockerRunArgs(options.spec, runtime, {
    name: options.name,
    runDir: options.runDir,
    specFile,
    user,
    ...(secrets && { secretsFile: secrets.path }),
  });
  const child = docker(args, engine, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: { file: options.logPath, append: true },
    buffer: false,
    forceKillAfterDelay: false,
  });
  // The trainer announces container paths; the rest of the run (store, uploads) needs the host's.
  const local = (path: string) => hostPathOf(options.runDir, path) ?? path;
  return attachedHandle({
    child,
    name: options.name,
    engine,
    memory: runtime.memory,
    logPath: options.logPath,
    onLine: () => secrets?.remove(),
    cleanup: async () => secrets?.remove(),
    async onEvent(event) {
      if (event.type === "checkpoint") return { ...event, path: local(event.path) };
      if (event.type === "done") return { ...event, adapter_path: local(event.adapter_path) };
      return event;
    },
  });
}

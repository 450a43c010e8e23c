import { materializeSnapshot } from "../../hub/index.js";
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import { FailedError } from "../../errors/index.js";
import type { TrainerHandle } from "../runtime.js";
import { dockerCreateArgs } from "./args.js";
import { docker } from "./cli.js";
import type { Engine } from "./engine.js";
import { attachedHandle } from "./handle.js";
import { assertReadable, makeReadable } from "./readable.js";
import type { DockerStart } from "./runtime.js";
import { secretsJson } from "./secrets.js";
import { localPathOf, planTransfer, REMOTE } from "./transfer.js";

/**
 * On a remote engine (no shared filesystem): `docker create` with no mount, `docker cp` the spec, data,
 * local base model and resume checkpoint in, `docker start -a` for the event stream, and `docker cp` each
 * announced checkpoint and the adapter back into the local run directory before the event is passed on —
 * so the checkpoint store sees them exactly as with a local engine. Secrets travel on the container's
 * stdin (one JSON line), never in a file on the remote host.
 */
export async function startRemote(
  runtime: DockerRuntime,
  options: DockerStart & { name: string },
): Promise<TrainerHandle> {
  const engine = options.engine.engine;
  const { name } = options;
  const transfer = planTransfer(options.spec);
  // docker cp makes the copies root's on the engine: the trainer reads them through the "others" bits.
  await assertReadable(
    transfer.copiesIn.map((c) => c.source),
    { uid: -1, gid: -1 },
    "the container's user (copies on a remote engine belong to root there)",
  );
  const secrets = secretsJson(options.env ?? process.env);
  const create = await docker(
    dockerCreateArgs(options.spec, runtime, {
      name,
      ...(runtime.user !== undefined && { user: runtime.user }),
      secretsOnStdin: secrets !== undefined,
    }),
    engine,
  );
  if (create.failed) throw copyFailed(`docker create failed: ${String(create.stderr).trim()}`);
  try {
    await copyIn(
      name,
      engine,
      { [REMOTE.spec]: JSON.stringify(transfer.spec, null, 2) + "\n" },
      transfer.copiesIn,
    );
  } catch (error) {
    await docker(["rm", "--force", "--volumes", name], engine);
    throw error;
  }
  const child = docker(["start", "--attach", ...(secrets ? ["--interactive"] : []), name], engine, {
    stdin: secrets ? "pipe" : "ignore",
    stdout: "pipe",
    stderr: { file: options.logPath, append: true },
    buffer: false,
    forceKillAfterDelay: false,
    // Its own process group: Ctrl-C reaches this process, which stops the container with `docker stop`.
    detached: true,
  });
  child.stdin?.end(secrets);
  let kept = false;
  const copyBack = async (path: string) => {
    const local = localPathOf(transfer, path);
    if (local === undefined) throw copyFailed(`the trainer wrote ${path}, outside ${REMOTE.run}`);
    const incoming = join(dirname(local), `.incoming-${basename(local)}`);
    await rm(incoming, { recursive: true, force: true });
    await mkdir(dirname(local), { recursive: true });
    const result = await docker(["cp", `${name}:${path}`, incoming], engine);
    if (result.failed) {
      // The work is still in the container: keep it, and say how to get it.
      kept = true;
      await docker(["stop", "--time", "30", name], engine);
      throw copyFailed(
        `could not copy ${path} back from container ${name}: ${String(result.stderr).trim()}`,
        `the container is kept: docker cp ${name}:${REMOTE.run} <dir> recovers its checkpoints; then pipeline runs cleanup`,
      );
    }
    // A checkpoint goes back in on --resume, where the container's user must read it (readable.ts).
    await makeReadable(incoming);
    // Whole or not at all: a half-copied folder never sits under the checkpoint's own name.
    await rm(local, { recursive: true, force: true });
    await rename(incoming, local);
    return local;
  };
  return attachedHandle({
    child,
    name,
    engine,
    memory: runtime.memory,
    logPath: options.logPath,
    keep: () => kept,
    async onEvent(event) {
      if (event.type === "checkpoint") return { ...event, path: await copyBack(event.path) };
      if (event.type === "done") return { ...event, adapter_path: await copyBack(event.adapter_path) };
      return event;
    },
  });
}

/**
 * Into a created container on a remote engine: the staged skeleton (input folders, a run folder the
 * container's user may write, and `files`: container path → content), then each local input.
 */
export async function copyIn(
  name: string,
  engine: Engine,
  files: Record<string, string>,
  copies: { source: string; target: string }[],
): Promise<void> {
  const stage = await mkdtemp(join(tmpdir(), "pipeline-stage-"));
  try {
    await chmod(stage, 0o755); // becomes /pipeline: the container's user must get through it
    const at = (path: string) => join(stage, ...path.slice(REMOTE.root.length + 1).split("/"));
    for (const dir of [REMOTE.data, REMOTE.resume, REMOTE.run]) await mkdir(at(dir), { recursive: true });
    await chmod(at(REMOTE.run), 0o777);
    for (const [path, content] of Object.entries(files)) await writeFile(at(path), content, { mode: 0o644 });
    await cp(`${stage}/.`, `${name}:${REMOTE.root}`, engine);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  for (const copy of copies) {
    // A Hugging Face cache snapshot goes as plain files (hard links here): docker cp would copy its links.
    const source = await materializeSnapshot(copy.source);
    try {
      await cp(source.dir, `${name}:${copy.target}`, engine);
    } finally {
      await source.remove();
    }
  }
}

async function cp(source: string, target: string, engine: Engine): Promise<void> {
  const result = await docker(["cp", source, target], engine);
  if (result.failed)
    throw copyFailed(`docker cp ${source} → ${target} failed: ${String(result.stderr).trim()}`);
}

export function copyFailed(
  message: string,
  hint = "check the engine's free disk and the connection to it",
): FailedError {
  return new FailedError("docker-copy-failed", message, { hint });
}

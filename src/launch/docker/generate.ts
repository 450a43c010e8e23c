import { mkdir } from "node:fs/promises";
import { basename, dirname, isAbsolute } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import { type GenerateJob, generateFlags } from "../generate-job.js";
import { generationFailed } from "../local-generate.js";
import { containerFlags } from "./args.js";
import { docker } from "./cli.js";
import type { EngineInfo } from "./engine.js";
import { mapExit, type ContainerState } from "./exit.js";
import { CONTAINER, modelMount, mountFlag, type Mount } from "./mounts.js";
import { assertReadable, makeReadable } from "./readable.js";
import { copyFailed, copyIn } from "./remote.js";
import { secretsJson, writeSecretsFile } from "./secrets.js";
import { REMOTE } from "./transfer.js";
import { containerUser, handOver, parseUser } from "./user.js";

/** generate.py in the trainer image (docker/Dockerfile keeps the repository layout under /app). */
export const GENERATE_IN_IMAGE = "/app/docker/generate.py";

/**
 * The docker runtime's generation: docker/generate.py in a container of the trainer image on the run's engine,
 * with the same GPUs, network, limits and user as training. A local engine bind-mounts the model and adapter
 * read-only and the job's folder (prompts in, generations out) writable; a remote engine gets copies in and
 * the generations copied back, as training does.
 */
export async function generateInDocker(
  runtime: DockerRuntime,
  info: EngineInfo,
  job: GenerateJob,
): Promise<void> {
  const name = `pipeline-gen-${job.runId}-${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  const folder = dirname(job.prompts);
  for (const file of [job.out, job.baseOut, ...(job.champion ? [job.champion.out] : [])]) {
    if (dirname(file) !== folder) throw new Error(`generate: ${file} is not beside ${job.prompts}`);
  }
  if (info.remote) return generateRemote(runtime, info, job, name);
  return generateMounted(runtime, info, job, name, folder);
}

const EVAL_DIR = "/eval";
const ADAPTER_DIR = "/adapter";
const CHAMPION_DIR = "/champion";

async function generateMounted(
  runtime: DockerRuntime,
  info: EngineInfo,
  job: GenerateJob,
  name: string,
  folder: string,
): Promise<void> {
  const user = containerUser(runtime.user, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const owner = parseUser(user);
  const asRoot = process.getuid?.() === 0;
  if (asRoot && owner.uid !== 0) await handOver(folder, [], owner); // the generations are written here
  const mounts: Mount[] = [
    { source: folder, target: EVAL_DIR, readonly: false },
    { source: job.adapter, target: ADAPTER_DIR, readonly: true },
  ];
  if (job.champion) mounts.push({ source: job.champion.adapter, target: CHAMPION_DIR, readonly: true });
  const { path: model, mount: modelFolder } = modelMount(job.model);
  if (modelFolder) mounts.push(modelFolder);
  await assertReadable(
    mounts.filter((m) => m.readonly).map((m) => m.source),
    owner,
  );
  const inEval = (path: string) => `${EVAL_DIR}/${basename(path)}`;
  const command = generateFlags({
    ...job,
    model,
    adapter: ADAPTER_DIR,
    prompts: inEval(job.prompts),
    out: inEval(job.out),
    baseOut: inEval(job.baseOut),
    champion: job.champion && { adapter: CHAMPION_DIR, out: inEval(job.champion.out) },
  });
  const secrets = await writeSecretsFile(process.env, asRoot ? owner : undefined);
  const args = ["run", ...containerFlags(jobOf(job), runtime, name, user)];
  for (const mount of mounts) args.push("--mount", mountFlag(mount));
  if (secrets) {
    args.push("--mount", mountFlag({ source: secrets.path, target: CONTAINER.secrets, readonly: true }));
    args.push("--env", `PIPELINE_SECRETS_FILE=${CONTAINER.secrets}`);
  }
  args.push("--entrypoint", "python", runtime.image, "-u", GENERATE_IN_IMAGE, ...command);
  try {
    await runToEnd(args, info, runtime, job, name);
  } finally {
    await secrets?.remove();
  }
}

async function generateRemote(runtime: DockerRuntime, info: EngineInfo, job: GenerateJob, name: string) {
  const inputs = {
    model: REMOTE.model,
    adapter: `${REMOTE.root}/in/adapter`,
    prompts: `${REMOTE.data}/cases.jsonl`,
  };
  const copies = [
    { source: job.adapter, target: inputs.adapter },
    { source: job.prompts, target: inputs.prompts },
  ];
  const champion = job.champion && {
    adapter: `${REMOTE.root}/in/champion`,
    out: `${REMOTE.run}/champion.jsonl`,
  };
  if (job.champion && champion) copies.push({ source: job.champion.adapter, target: champion.adapter });
  if (isAbsolute(job.model)) copies.push({ source: job.model, target: inputs.model });
  await assertReadable(
    copies.map((c) => c.source),
    { uid: -1, gid: -1 },
    "the container's user (copies on a remote engine belong to root there)",
  );
  const outputs = { out: `${REMOTE.run}/adapter.jsonl`, baseOut: `${REMOTE.run}/base.jsonl` };
  const command = generateFlags({
    ...job,
    model: isAbsolute(job.model) ? inputs.model : job.model,
    adapter: inputs.adapter,
    prompts: inputs.prompts,
    ...outputs,
    champion,
  });
  const secrets = secretsJson(process.env);
  const args = ["create", ...containerFlags(jobOf(job), runtime, name, runtime.user)];
  if (secrets) args.push("--interactive", "--env", "PIPELINE_SECRETS_STDIN=1");
  args.push("--entrypoint", "python", runtime.image, "-u", GENERATE_IN_IMAGE, ...command);
  const created = await docker(args, info.engine);
  if (created.failed) throw copyFailed(`docker create failed: ${String(created.stderr).trim()}`);
  try {
    await copyIn(name, info.engine, {}, copies);
    const start = ["start", "--attach", ...(secrets ? ["--interactive"] : []), name];
    await runToEnd(start, info, runtime, job, name, secrets);
    const back: [string, string][] = [
      [job.out, outputs.out],
      [job.baseOut, outputs.baseOut],
    ];
    if (job.champion && champion) back.push([job.champion.out, champion.out]);
    for (const [local, remote] of back) {
      await mkdir(dirname(local), { recursive: true });
      const copied = await docker(["cp", `${name}:${remote}`, local], info.engine);
      if (copied.failed) throw copyFailed(`could not copy ${remote} back: ${String(copied.stderr).trim()}`);
      await makeReadable(local);
    }
  } finally {
    await docker(["rm", "--force", "--volumes", name], info.engine);
  }
}

/** Runs the container attached (its stderr into the job's log), then reads how it ended and removes it. */
async function runToEnd(
  args: string[],
  info: EngineInfo,
  runtime: DockerRuntime,
  job: GenerateJob,
  name: string,
  stdin?: string,
): Promise<void> {
  await mkdir(dirname(job.logPath), { recursive: true });
  const result = await docker(args, info.engine, {
    ...(stdin ? { input: stdin } : { stdin: "ignore" as const }),
    stdout: "ignore",
    stderr: { file: job.logPath, append: true },
  });
  const inspected = await docker(["inspect", "--format", "{{json .State}}", name], info.engine);
  const state = inspected.failed ? undefined : (JSON.parse(String(inspected.stdout)) as ContainerState);
  if (args[0] === "run") await docker(["rm", "--force", "--volumes", name], info.engine);
  const exit = mapExit(state, result.exitCode, runtime.memory);
  if (exit.exitCode !== 0)
    throw generationFailed(job, exit.message ?? `exit ${exit.exitCode ?? exit.signal}`);
}

const jobOf = (job: GenerateJob) => ({ runId: job.runId, baseModel: job.model, device: job.device });

import { z } from "zod";

// Where the trainer runs. A discriminated union on `type` so each runtime declares only its own fields.
// `ray` is declared so configs and editor completion can name it; src/launch/registry.ts says which
// runtimes exist, and a config naming one that does not is refused there.
const Processes = z
  .int()
  .min(1)
  .default(1)
  .describe(
    "training processes on this machine, one per GPU (torchrun --nproc-per-node; training.strategy: ddp or fsdp); 1: one plain process",
  );

const LocalRuntime = z.strictObject({
  type: z.literal("local").describe("the trainer as a child process on this machine"),
  python: z
    .string()
    .min(1)
    .optional()
    .describe(
      "a Python interpreter to use instead of the managed venv; it must have docker/requirements.txt " +
        "installed. A path (relative to this config file) or a command name on PATH",
    ),
  venv_dir: z
    .string()
    .min(1)
    .optional()
    .describe("where the managed venv is created on first use (relative to the working directory)"),
  processes: Processes,
  min_free_disk: z
    .string()
    .regex(/^[0-9]+[bkmg]?$/i, "a size such as 20g")
    .optional()
    .describe(
      "free space the run directory's disk must have before training (checkpoints land there); default 1g",
    ),
});

const DockerRuntime = z
  .strictObject({
    type: z
      .literal("docker")
      .describe(
        "the trainer image on a Docker engine: this machine's, or a remote one (ssh://, tcp://, a context)",
      ),
    image: z
      .string()
      .min(1)
      .default("pipeline-trainer:latest")
      .describe("trainer image; build it with `pipeline image build --tag <image>`"),
    host: z
      .string()
      .min(1)
      .optional()
      .describe(
        "DOCKER_HOST of the engine, e.g. unix:///run/docker.sock or ssh://user@gpu-box; default: the docker CLI's own. " +
          "A remote engine (ssh://, tcp://) gets inputs and outputs copied through the container, not mounted",
      ),
    context: z
      .string()
      .min(1)
      .optional()
      .describe(
        "a docker context (`docker context ls`) to use instead of host; its endpoint decides local or remote",
      ),
    min_free_disk: z
      .string()
      .regex(/^[0-9]+[bkmg]?$/i, "a size such as 20g")
      .optional()
      .describe(
        "free space the engine's data root must have at preflight; default: 1g on a local engine, the inputs + 2g on a remote one",
      ),
    gpus: z
      .string()
      .regex(/^(all|none|[1-9][0-9]*|device=[0-9a-zA-Z,-]+)$/, "all, none, a count, or device=0,1")
      .default("all")
      .describe("docker run --gpus: all, none, a count, or device=0,1 (ignored when device is cpu)"),
    shm_size: z
      .string()
      .regex(/^[0-9]+[bkmg]?$/i, "a size such as 16g or 512m")
      .default("16g")
      .describe("docker run --shm-size (PyTorch data loaders need more than docker's 64m)"),
    ipc: z.enum(["private", "host"]).optional().describe("docker run --ipc; host replaces shm_size"),
    network: z
      .enum(["none", "host", "bridge"])
      .default("none")
      .describe("docker run --network; training needs none (the model and data are mounted or copied in)"),
    cpus: z.number().positive().optional().describe("docker run --cpus limit"),
    memory: z
      .string()
      .regex(/^[0-9]+[bkmg]?$/i, "a size such as 32g")
      .optional()
      .describe("docker run --memory limit; exceeding it is reported as out-of-memory"),
    processes: Processes,
    user: z
      .string()
      .regex(/^[0-9]+(:[0-9]+)?$/, "uid or uid:gid")
      .optional()
      .describe("uid[:gid] in the container; default: yours, or the image's uid 1000 when you are root"),
  })
  .refine((r) => r.host === undefined || r.context === undefined, {
    message: "set host or context, not both",
    path: ["context"],
  });

const RayRuntime = z.strictObject({
  type: z
    .literal("ray")
    .describe("a job on an existing Ray cluster (Jobs REST API); needs an s3:// checkpoints.store"),
  address: z.url().describe("the cluster's Jobs API address, e.g. http://head-node:8265"),
  num_workers: z.int().min(1).default(1).describe("training workers (one per node)"),
  gpus_per_worker: z.int().min(0).default(1),
});

/** Training processes of a run: torchrun's WORLD_SIZE. A ray worker runs one process per GPU (one on a CPU). */
export function worldSize(runtime: Runtime): number {
  if (runtime.type === "ray") return runtime.num_workers * Math.max(1, runtime.gpus_per_worker);
  return runtime.processes;
}

export const Runtime = z
  .discriminatedUnion("type", [LocalRuntime, DockerRuntime, RayRuntime])
  .describe("where the trainer runs: local (default), docker or ray");
export type Runtime = z.infer<typeof Runtime>;
export type DockerRuntime = z.infer<typeof DockerRuntime>;

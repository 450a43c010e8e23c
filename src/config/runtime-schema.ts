import { z } from "zod";

// Where the trainer runs. A discriminated union on `type` so each runtime declares only its own fields.
// Only `local` is built so far; the others are declared so configs and editor completion can name them,
// and rendering one says plainly that it is not available yet.
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
});

const DockerRuntime = z.strictObject({
  type: z.literal("docker").describe("docker run of the trainer image (not available yet)"),
  image: z.string().min(1).default("pipeline-trainer:latest").describe("trainer image"),
  host: z
    .string()
    .min(1)
    .optional()
    .describe("DOCKER_HOST, e.g. ssh://user@gpu-box; default: the local engine"),
  gpus: z.string().min(1).default("all").describe("value of docker run --gpus"),
  shm_size: z.string().min(1).default("16g").describe("value of docker run --shm-size"),
});

const RayRuntime = z.strictObject({
  type: z.literal("ray").describe("a job on an existing Ray cluster (not available yet)"),
  address: z.url().describe("the cluster's Jobs API address, e.g. http://head-node:8265"),
  num_workers: z.int().min(1).default(1).describe("training workers (one per node)"),
  gpus_per_worker: z.int().min(0).default(1),
});

export const Runtime = z
  .discriminatedUnion("type", [LocalRuntime, DockerRuntime, RayRuntime])
  .describe("where the trainer runs: local (default), docker or ray");
export type Runtime = z.infer<typeof Runtime>;

/** The runtimes the launch stage can start today. */
export const AVAILABLE_RUNTIMES: readonly Runtime["type"][] = ["local"];

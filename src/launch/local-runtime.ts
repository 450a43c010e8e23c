import { execa } from "execa";
import type { Runtime as RuntimeConfig } from "../config/index.js";
import { FailedError, UsageError } from "../errors/index.js";
import { cannotStart } from "../errors/environment.js";
import { assertFreeDisk } from "./disk.js";
import { discoverGpus, visibleDevices } from "./gpus.js";
import { generateLocal } from "./local-generate.js";
import { startLocal } from "./local.js";
import { ensurePython } from "./python-env.js";
import type { Placement, PrepareInput, Runtime } from "./runtime.js";

type LocalConfig = Extract<RuntimeConfig, { type: "local" }>;

// Versions from the installed packages' metadata: no torch import (seconds), just whether they are there.
const PROBE =
  "import json, importlib.metadata as m\n" +
  "out = {}\n" +
  "for name in ('torch', 'transformers', 'peft'):\n" +
  "    try: out[name] = m.version(name)\n" +
  "    except m.PackageNotFoundError: out[name] = None\n" +
  "print(json.dumps(out))";

/** The `local` runtime: the trainer and generation as child processes in the managed venv (or a given Python). */
export function localRuntime(config: LocalConfig, env = process.env): Runtime {
  let python: string | undefined;
  const interpreter = () => {
    if (!python) throw new Error("local runtime: prepare() was not called");
    return python;
  };
  return {
    async prepare(input: PrepareInput): Promise<Placement> {
      python = await ensurePython({
        python: env.PIPELINE_PYTHON ?? config.python,
        venvDir: config.venv_dir,
        onProgress: input.onProgress,
      });
      const versions = await probePackages(python);
      // Checkpoints land in the run directory: its disk must have room (the docker runtime checks its engine's).
      await assertFreeDisk(input.runDir, config.min_free_disk ?? "1g", "runtime.min_free_disk");
      const gpus = input.device === "cpu" ? [] : usableGpus(env, config.processes);
      if (input.device === "cuda" && gpus.length === 0) {
        throw new UsageError("no-gpu", "device is cuda but no GPU is visible on this machine", {
          hint: "set device: cpu (or auto), or run on a machine with an NVIDIA GPU (nvidia-smi lists it) and a CUDA build of torch",
        });
      }
      if (gpus.length > 0 && gpus.length < config.processes) throw tooFewGpus(config.processes, gpus.length);
      const stack = `torch ${versions.torch}, transformers ${versions.transformers}, peft ${versions.peft}`;
      const device = gpus.length > 0 ? `GPU ${gpus.join(",")}` : "CPU";
      const strategy = (input.strategy ?? "ddp").toUpperCase();
      const ranks = config.processes > 1 ? `, ${config.processes} processes (torchrun, ${strategy})` : "";
      return { runtime: "local", where: `local (${python}, ${stack}, ${device}${ranks})`, gpus, python };
    },
    train: (request) => Promise.resolve(startLocal(interpreter(), request, config.processes)),
    generate: (job) => generateLocal(interpreter(), job),
  };
}

async function probePackages(python: string): Promise<Record<string, string>> {
  const result = await execa(python, ["-c", PROBE], { reject: false });
  const missingPython = cannotStart(result);
  if (missingPython) throw missingPython;
  const found = result.failed
    ? undefined
    : (JSON.parse(String(result.stdout)) as Record<string, string | null>);
  const missing = found
    ? Object.keys(found).filter((name) => !found[name])
    : ["torch", "transformers", "peft"];
  if (!found || missing.length > 0) {
    const why = found
      ? `missing: ${missing.join(", ")}`
      : (String(result.stderr).trim().split("\n").at(-1) ?? "");
    throw new FailedError("preflight", `${python} cannot run the trainer (${why})`, {
      hint: "install docker/requirements.txt into it, or remove runtime.python to use the managed venv",
    });
  }
  return found as Record<string, string>;
}

/** The GPUs the trainer's processes run on, one each: CUDA_VISIBLE_DEVICES' first, else nvidia-smi's first. */
function usableGpus(env: NodeJS.ProcessEnv, processes: number): number[] {
  const visible = visibleDevices(env);
  const all = visible ?? discoverGpus()?.map((gpu) => gpu.index) ?? [];
  return all.slice(0, processes);
}

const tooFewGpus = (processes: number, visible: number) =>
  new UsageError("too-few-gpus", `runtime.processes is ${processes} but only ${visible} GPU(s) are visible`, {
    hint: `set runtime.processes: ${visible} (one process per GPU), or device: cpu to train on the CPU`,
  });

import { worldSize, type Runtime } from "./runtime-schema.js";

/** The parts of a run config that decide whether training.strategy: fsdp can run. */
export interface StrategyFacts {
  strategy: "ddp" | "fsdp";
  runtime: Runtime;
  precision: string;
  liger_kernels: boolean;
  compile: boolean;
  method: string;
  init_adapter?: string;
}

export interface StrategyIssue {
  path: (string | number)[];
  input: unknown;
  message: string;
}

/**
 * fsdp shards the base across the run's processes (docker/pipeline_trainer/fsdp.py). It is refused where it
 * cannot shard (one process) and beside what has not been built or tested with it, each with what to change.
 */
export function strategyIssues(facts: StrategyFacts): StrategyIssue[] {
  if (facts.strategy !== "fsdp") return [];
  const issues: StrategyIssue[] = [];
  const refuse = (path: (string | number)[], input: unknown, message: string) =>
    issues.push({ path, input, message });
  if (facts.runtime.type === "ray") {
    refuse(
      ["training", "strategy"],
      "fsdp",
      "fsdp runs on the local and docker runtimes (torchrun on one machine); on ray use ddp",
    );
  } else if (worldSize(facts.runtime) < 2) {
    refuse(
      ["training", "strategy"],
      "fsdp",
      `fsdp shards the base across several processes, but runtime.processes is ${worldSize(facts.runtime)}: set ` +
        "runtime.processes to the number of GPUs (2 or more), or use strategy: ddp",
    );
  }
  if (facts.precision === "fp16") {
    refuse(
      ["training", "precision"],
      "fp16",
      "fp16's loss scaling is not built for fsdp's sharded gradients; use bf16",
    );
  }
  if (facts.liger_kernels) {
    refuse(
      ["training", "liger_kernels"],
      true,
      "Liger's kernels are not tested with fsdp; set liger_kernels: false",
    );
  }
  if (facts.compile) {
    refuse(["training", "compile"], true, "torch.compile is not tested with fsdp; set compile: false");
  }
  if (facts.init_adapter !== undefined && facts.method !== "sft") {
    refuse(
      ["training", "init_adapter"],
      facts.init_adapter,
      `a frozen reference adapter beside the trained one is not tested with fsdp; train ${facts.method} on an ` +
        "init adapter with strategy: ddp",
    );
  }
  return issues;
}

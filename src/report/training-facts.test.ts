import { describe, expect, it } from "vitest";
import type { TrainerEvent } from "../launch/index.js";
import { trainingFacts } from "./training-facts.js";
import { summarizeTraining } from "./training-summary.js";

const start = (fields: object) =>
  ({
    v: 1,
    time: 1,
    type: "start",
    run_id: "r",
    device: "cpu",
    precision: "fp32",
    params_total: 1000,
    params_trainable: 40,
    total_steps: 1,
    start_step: 0,
    train_examples: 10,
    train_sequences: 10,
    ...fields,
  }) as TrainerEvent;

const device = (fields: object) => new Map(trainingFacts(summarizeTraining([start(fields)])!)).get("Device");

describe("the training table's device row", () => {
  it("names the strategy of several processes, DDP when a run predates its record, nothing for one", () => {
    expect(device({ world_size: 2, strategy: "fsdp" })).toBe("cpu, fp32, 2 processes (FSDP)");
    expect(device({ world_size: 2, strategy: "ddp" })).toBe("cpu, fp32, 2 processes (DDP)");
    expect(device({ world_size: 2 })).toBe("cpu, fp32, 2 processes (DDP)");
    expect(device({ world_size: 1, strategy: null })).toBe("cpu, fp32");
  });
});

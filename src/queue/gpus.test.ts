import { describe, expect, it } from "vitest";
import { workerDevices } from "./gpus.js";

const found = () => [
  { index: 0, name: "NVIDIA A100", memoryMiB: 40960 },
  { index: 1, name: "NVIDIA A100", memoryMiB: 40960 },
];

describe("worker devices", () => {
  it("narrows the discovered GPUs with --gpus and refuses unknown ones", () => {
    expect(workerDevices({ gpus: "1" }, found).gpus.map((g) => g.index)).toEqual([1]);
    expect(() => workerDevices({ gpus: "0,3" }, found)).toThrow(/no GPU 3/);
  });

  it("without nvidia-smi and without --cpu says to pass --cpu", () => {
    expect(() => workerDevices({}, () => undefined)).toThrow(
      expect.objectContaining({ exitCode: 2, hint: expect.stringContaining("--cpu") }),
    );
    expect(workerDevices({ cpu: true }, () => undefined)).toEqual({ gpus: [], deviceType: "cpu" });
  });
});

import { describe, expect, it } from "vitest";
import { RunConfig } from "../config/index.js";
import { ConfigError } from "../errors/index.js";
import { registerRuntime, registeredRuntimes, runtimeFor } from "./registry.js";
import type { Runtime } from "./runtime.js";

const ray = RunConfig.parse({
  base_model: "builtin:tiny",
  datasets: [{ path: "x.jsonl", template: "chatml" }],
  runtime: { type: "ray", address: "http://head:8265" },
}).runtime;

// A runtime type the registry does not know (a config from a newer version, say).
const unknown = { ...ray, type: "slurm" } as unknown as typeof ray;

describe("the runtime registry", () => {
  it("knows local, docker and ray, and refuses a runtime that is not built, naming the key", () => {
    expect(registeredRuntimes()).toEqual(["local", "docker", "ray"]);
    expect(runtimeFor(ray)).toHaveProperty("prepare");
    const error = (() => {
      try {
        runtimeFor(unknown, "configs/x.yaml");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { location: "configs/x.yaml › runtime.type", message: '"slurm" is not available yet' },
    ]);
  });

  it("takes a new runtime in one place, and gives the old state back", async () => {
    const fake: Runtime = {
      prepare: async () => ({ runtime: "ray", where: "fake", gpus: [] }),
      train: () => Promise.reject(new Error("not here")),
      generate: async () => {},
    };
    const restore = registerRuntime("slurm", () => fake);
    expect(runtimeFor(unknown)).toBe(fake);
    restore();
    expect(() => runtimeFor(unknown)).toThrow(/not available yet/);
  });
});

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

describe("the runtime registry", () => {
  it("knows local and docker, and refuses a declared runtime that is not built, naming the key", () => {
    expect(registeredRuntimes()).toEqual(["local", "docker"]);
    const error = (() => {
      try {
        runtimeFor(ray, "configs/x.yaml");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { location: "configs/x.yaml › runtime.type", message: '"ray" is not available yet' },
    ]);
  });

  it("takes a new runtime in one place, and gives the old state back", async () => {
    const fake: Runtime = {
      prepare: async () => ({ runtime: "ray", where: "fake", gpus: [] }),
      train: () => Promise.reject(new Error("not here")),
      generate: async () => {},
    };
    const restore = registerRuntime("ray", () => fake);
    expect(runtimeFor(ray)).toBe(fake);
    restore();
    expect(() => runtimeFor(ray)).toThrow(/not available yet/);
  });
});

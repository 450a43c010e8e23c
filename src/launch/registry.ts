import type { Runtime as RuntimeConfig } from "../config/index.js";
import { ConfigError, locate } from "../errors/index.js";
import { dockerRuntime } from "./docker/docker-runtime.js";
import { localRuntime } from "./local-runtime.js";
import { rayRuntime } from "./ray/ray-runtime.js";
import type { Runtime } from "./runtime.js";

/**
 * Runtimes by `runtime.type`: the one place that knows them. A new runtime is a folder in src/launch that
 * implements Runtime, one line here, and its config shape in src/config/runtime-schema.ts.
 */
type Factory = (config: RuntimeConfig) => Runtime;

const factories = new Map<string, Factory>([
  ["local", (config) => localRuntime(config as Extract<RuntimeConfig, { type: "local" }>)],
  ["docker", (config) => dockerRuntime(config as Extract<RuntimeConfig, { type: "docker" }>)],
  ["ray", (config) => rayRuntime(config as Extract<RuntimeConfig, { type: "ray" }>)],
]);

/** The runtime a config names; one not built yet is a config error naming the key and the ones that are. */
export function runtimeFor(config: RuntimeConfig, configFile = "config"): Runtime {
  const factory = factories.get(config.type);
  if (factory) return factory(config);
  const message = `"${config.type}" is not available yet`;
  throw new ConfigError("runtime-unavailable", `runtime ${message}`, {
    problems: [{ location: locate(configFile, undefined, "runtime.type"), message }],
    hint: `use one of: ${[...factories.keys()].join(", ")}`,
  });
}

/** Adds (or replaces) a runtime; returns a function that restores what was there. Tests register fakes here. */
export function registerRuntime(type: string, factory: Factory): () => void {
  const previous = factories.get(type);
  factories.set(type, factory);
  return () => (previous ? factories.set(type, previous) : factories.delete(type));
}

export const registeredRuntimes = (): string[] => [...factories.keys()];

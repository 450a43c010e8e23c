import { parse } from "yaml";
import { locate } from "../errors/index.js";
import { type KeyPath, formatPath, isPlainObject } from "./key-path.js";
import { type Assembled } from "./merge.js";
import { type ProblemList } from "./problems.js";

/**
 * Applies `--set key.path=value` flags after `extends`. The value is read as YAML (`1e-4` is a number,
 * `true` a boolean, `[q_proj, v_proj]` a list); list items are addressed by index (`datasets.0.path`).
 * Unknown keys are not rejected here: the strict schema reports them, pointing at the flag.
 */
export function applyOverrides(config: Assembled, flags: readonly string[], problems: ProblemList): void {
  for (const flag of flags) applyOne(config, flag, problems);
}

function applyOne(config: Assembled, text: string, problems: ProblemList): void {
  const source = `--set ${text}`;
  const equals = text.indexOf("=");
  const keys = text.slice(0, Math.max(equals, 0)).split(".");
  if (equals <= 0 || keys.includes("")) {
    problems.add(source, "expected key.path=value, e.g. --set training.learning_rate=1e-4");
    return;
  }
  const value = readValue(text.slice(equals + 1));
  const path: KeyPath = [];
  let container: unknown = config.value;
  for (const [index, key] of keys.entries()) {
    const step = stepInto(container, key);
    if (typeof step === "string") {
      const where = locate(source, undefined, formatPath(path));
      problems.claim([...path, key], where, step);
      return;
    }
    const slot = container as Record<string | number, unknown>;
    path.push(step.key);
    if (index === keys.length - 1) slot[step.key] = value;
    else if (slot[step.key] === undefined || slot[step.key] === null) {
      slot[step.key] = {};
      config.origins.set([...path], { source });
    }
    container = slot[step.key];
  }
  config.origins.forgetBelow(path);
  config.origins.set(path, { source });
}

// The key to use inside `container`, or why there is none.
function stepInto(container: unknown, key: string): { key: string | number } | string {
  if (Array.isArray(container)) {
    const index = /^\d+$/.test(key) ? Number(key) : NaN;
    if (index <= container.length) return { key: index };
    return `is a list of ${container.length}; use an index from 0 to ${container.length}, not "${key}"`;
  }
  if (isPlainObject(container)) return { key };
  return `is ${JSON.stringify(container)}, not a mapping; cannot set "${key}" inside it`;
}

function readValue(text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch {
    return text;
  }
}

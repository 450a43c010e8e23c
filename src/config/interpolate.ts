import { isScalar, parse } from "yaml";
import { type KeyPath, isPlainObject } from "./key-path.js";
import { type ProblemList } from "./problems.js";
import { type ConfigLayer } from "./yaml-file.js";

export type Env = Record<string, string | undefined>;

// ${NAME}, ${NAME:-default}; $${NAME} is a literal ${NAME}.
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const INNER = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const WHOLE = /^\$\{[^}]*\}$/;

interface Context {
  layer: ConfigLayer;
  env: Env;
  problems: ProblemList;
  shown: string;
}

/** Replaces environment references in every string value of one file, reporting each missing variable. */
export function interpolateEnv(layer: ConfigLayer, env: Env, problems: ProblemList, shown: string): void {
  layer.value = walk(layer.value, [], { layer, env, problems, shown }) as Record<string, unknown>;
}

function walk(value: unknown, path: KeyPath, context: Context): unknown {
  if (typeof value === "string") return interpolate(value, path, context);
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], context));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], context)]));
  }
  return value;
}

function interpolate(text: string, path: KeyPath, context: Context): unknown {
  if (!text.includes("$")) return text;
  let failed = false;
  const report = (message: string) => {
    failed = true;
    context.problems.claim(path, context.layer.origins.locate(path, context.shown), message);
  };
  const result = text.replace(REFERENCE, (match, escaped: string, inner: string) => {
    if (escaped) return match.slice(1);
    const parts = INNER.exec(inner);
    if (!parts) {
      report(`"${match}" is not a valid reference; write \${NAME} or \${NAME:-default}`);
      return match;
    }
    const [, name = "", fallback] = parts;
    const value = context.env[name];
    if (value !== undefined && !(fallback !== undefined && value === "")) return value;
    if (fallback !== undefined) return fallback;
    report(`environment variable ${name} is not set (export it, or write \${${name}:-default})`);
    return match;
  });
  // An unquoted value that is one reference takes the type its text has in YAML, so that
  // `max_steps: ${STEPS:-150}` is a number; a quoted one stays a string.
  if (!failed && WHOLE.test(text) && isPlainScalar(context.layer, path)) return asYamlValue(result);
  return result;
}

function isPlainScalar(layer: ConfigLayer, path: KeyPath): boolean {
  const node = layer.doc.getIn(path, true);
  return isScalar(node) && node.type === "PLAIN";
}

function asYamlValue(text: string): unknown {
  if (text.trim() === "") return text;
  try {
    const value: unknown = parse(text);
    return isPlainObject(value) ? text : value;
  } catch {
    return text;
  }
}

/**
 * The environment in which each unset variable reads as its own reference, `${NAME}`: a run's
 * config.resolved.yaml (whose secrets were written back as references) loads as written where those secrets are
 * not set — to sync its tracking or list its checkpoints, which do not need them. A resume loads it strictly.
 */
export function keepingUnset(env: Env = process.env): Env {
  return new Proxy(env, {
    get: (target, name) =>
      typeof name === "string" && target[name] === undefined ? `\${${name}}` : target[name as string],
  });
}

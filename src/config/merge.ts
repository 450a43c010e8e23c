import { type KeyPath, isPlainObject } from "./key-path.js";
import { type Origins } from "./origins.js";

/** A config assembled so far: its value and where each key came from. */
export interface Assembled {
  value: Record<string, unknown>;
  origins: Origins;
}

/** `extends` semantics: objects merge key by key, anything else (lists included) is replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = deepMerge(base[key], value);
  return merged;
}

export function mergeLayers(base: Assembled, over: Assembled): Assembled {
  const value = deepMerge(base.value, over.value) as Record<string, unknown>;
  const origins = base.origins;
  // Parents come before their children in `all()`, so a replaced list forgets the base's items first.
  for (const { path, origin } of over.origins.all()) {
    if (!isPlainObject(valueAt(over.value, path))) origins.forgetBelow(path);
    origins.set(path, origin);
  }
  return { value, origins };
}

export function valueAt(value: unknown, path: KeyPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

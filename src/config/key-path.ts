/** A path of keys into a config: `["datasets", 0, "path"]`, printed as `datasets[0].path`. */
export type KeyPath = (string | number)[];

export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

export function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map((key) => (typeof key === "symbol" ? String(key) : key)));
}

export function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => key === path[i]);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

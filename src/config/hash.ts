import { createHash } from "node:crypto";
import { type RunConfig } from "./schema.js";

/** JSON with keys sorted at every level, so equal configs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the resolved config (defaults applied, paths absolute): the config's identity in reports. */
export function configHash(config: RunConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}

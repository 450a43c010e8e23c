import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** sha256 of a file's bytes, streamed: the file may be larger than memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** JSON with object keys sorted, so equal values always give equal text (and equal hashes). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

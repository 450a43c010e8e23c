import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { atPath } from "../../errors/environment.js";
import type { FormatManifest } from "./manifest.js";
import { MANIFEST_FILE } from "./reuse.js";

export interface OutputFile {
  path: string;
  sha256: string;
  bytes: number;
  rows: number;
}

/** A JSONL file written under a temporary name, hashed as it goes; it takes its real name on commit. */
export interface JsonlWriter {
  readonly name: string;
  readonly tmp: string;
  write(row: unknown): Promise<void>;
  close(): Promise<OutputFile>;
  discard(): Promise<void>;
}

export function openJsonl(dir: string, name: string): JsonlWriter {
  const tmp = join(dir, `.${name}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  const stream = createWriteStream(tmp);
  let failure: unknown;
  stream.on("error", (error) => (failure = atPath(error, join(dir, name))));
  const hash = createHash("sha256");
  let bytes = 0;
  let rows = 0;
  return {
    name,
    tmp,
    async write(row) {
      if (failure) throw failure;
      const line = JSON.stringify(row) + "\n";
      hash.update(line);
      bytes += Buffer.byteLength(line);
      rows += 1;
      // Respect backpressure so a large dataset streams through instead of piling up in memory.
      if (!stream.write(line)) await once(stream, "drain");
    },
    async close() {
      stream.end();
      await finished(stream).catch((error: unknown) => {
        throw atPath(error, join(dir, name));
      });
      return { path: name, sha256: hash.digest("hex"), bytes, rows };
    },
    async discard() {
      // Wait for the close: a stream destroyed before its open finished still creates the file.
      stream.destroy();
      if (!stream.closed) await new Promise<void>((resolve) => stream.once("close", () => resolve()));
      await rm(tmp, { force: true });
    },
  };
}

/**
 * Gives the files their real names and writes the manifest last. The old manifest goes first, so at
 * every moment the directory either has no manifest or one that matches its files: a crash leaves
 * nothing that looks complete.
 */
export async function commit(dir: string, files: readonly JsonlWriter[], manifest: FormatManifest) {
  const manifestPath = join(dir, MANIFEST_FILE);
  await rm(manifestPath, { force: true });
  for (const file of files) await rename(file.tmp, join(dir, file.name));
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await rename(tmp, manifestPath);
}

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256File, sha256Text, stableStringify } from "./hash.js";
import type { FormatManifest } from "./manifest.js";
import type { ReasoningMode } from "./render-record.js";
import type { Template } from "./template.js";

/*
 * What decides whether a formatted directory can be reused, apart from the manifest's zod schema:
 * that schema is loaded only when a manifest is read, so that `pipeline dataset validate`, which
 * imports the dataset stage whole, does not pay zod's start-up time.
 */

/** Bump when the formatted text for the same input changes, so old outputs are not reused. */
export const FORMATTER_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
export const SPLIT_METHOD = "sha256(seed, whitespace-normalized record) < eval_fraction";

export interface FormatKey {
  sourceSha256: string;
  requestedFormat: string;
  template: Template;
  evalFraction: number;
  seed: number;
  /** Default keep. */
  reasoning?: ReasoningMode;
}

/** Everything that decides the output bytes; equal hashes mean the existing output can be reused. */
export function contentHash(key: FormatKey): string {
  const { name, tokens, fingerprint } = key.template;
  return sha256Text(
    stableStringify({
      formatter_version: FORMATTER_VERSION,
      source_sha256: key.sourceSha256,
      requested_format: key.requestedFormat,
      template: { name, ...tokens, ...fingerprint },
      eval_fraction: key.evalFraction,
      seed: key.seed,
      // Only when set, so that outputs made before the setting existed are still reused.
      ...(key.reasoning === "drop" ? { reasoning: "drop" } : {}),
    }),
  );
}

/** The manifest in `dir` when it was made from the same content and its files are still intact. */
export async function findReusable(dir: string, hash: string): Promise<FormatManifest | undefined> {
  const manifest = await readManifest(dir);
  if (manifest?.content_hash !== hash) return undefined;
  for (const file of [manifest.files.train, manifest.files.eval]) {
    const actual = await sha256File(join(dir, file.path)).catch(() => undefined);
    if (actual !== file.sha256) return undefined;
  }
  return manifest;
}

async function readManifest(dir: string): Promise<FormatManifest | undefined> {
  const { FormatManifest } = await import("./manifest.js");
  try {
    return FormatManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined; // missing, damaged or from another version: not reusable, simply rewritten
  }
}

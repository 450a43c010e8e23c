import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { sha256File, sha256Text, stableStringify } from "./hash.js";
import type { Template } from "./template.js";

/** Bump when the formatted text for the same input changes, so old outputs are not reused. */
export const FORMATTER_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
export const SPLIT_METHOD = "sha256(seed, whitespace-normalized record) < eval_fraction";

const OutputFile = z.strictObject({
  path: z.string().describe("file name inside the output directory"),
  sha256: z.string(),
  bytes: z.int().min(0),
  rows: z.int().min(0),
});

/** manifest.json of a formatted dataset directory; written last, so its presence means the split is whole. */
export const FormatManifest = z.strictObject({
  version: z.literal(1),
  formatter_version: z.int(),
  content_hash: z
    .string()
    .describe("sha256 over source hash, requested format, template, tokens, split, seed"),
  source: z.strictObject({
    path: z.string(),
    sha256: z.string(),
    requested_format: z.string(),
    format: z.string().describe("the format the validator detected"),
  }),
  template: z.strictObject({
    name: z.string(),
    bos: z.string(),
    eos: z.string(),
    stop: z.array(z.string()).describe("texts generation should stop at"),
    origin: z
      .string()
      .nullable()
      .describe("model file the tokens/template came from; null: built-in defaults"),
    fingerprint: z.record(z.string(), z.string()),
  }),
  split: z.strictObject({ eval_fraction: z.number(), seed: z.int(), method: z.string() }),
  shape: z
    .enum(["segments", "preference"])
    .describe("segments: {segments:[…]}; preference: {prompt,chosen,rejected}"),
  counts: z.strictObject({
    rows: z.int().describe("rows read from the source"),
    train: z.int(),
    eval: z.int(),
    preference: z.int().describe("rows written as preference pairs (not used by SFT training)"),
    skipped: z.int().describe("rows the reader could not turn into a record"),
  }),
  files: z.strictObject({ train: OutputFile, eval: OutputFile }),
  created_at: z.string(),
});
export type FormatManifest = z.infer<typeof FormatManifest>;

export interface FormatKey {
  sourceSha256: string;
  requestedFormat: string;
  template: Template;
  evalFraction: number;
  seed: number;
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
  try {
    return FormatManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined; // missing, damaged or from another version: not reusable, simply rewritten
  }
}

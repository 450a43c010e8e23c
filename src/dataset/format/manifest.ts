import { z } from "zod";

export {
  FORMATTER_VERSION,
  MANIFEST_FILE,
  SPLIT_METHOD,
  contentHash,
  findReusable,
  type FormatKey,
} from "./reuse.js";

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
    .enum(["segments", "preference", "feedback"])
    .describe(
      "segments: {segments:[…]}; preference: {prompt,chosen,rejected}; feedback (KTO): {prompt,completion,label}",
    ),
  counts: z.strictObject({
    rows: z.int().describe("rows read from the source"),
    train: z.int(),
    eval: z.int(),
    preference: z.int().describe("rows written as preference pairs (DPO)"),
    feedback: z.int().describe("rows written as labelled completions (KTO)"),
    skipped: z.int().describe("rows the reader could not turn into a record"),
  }),
  files: z.strictObject({ train: OutputFile, eval: OutputFile }),
  created_at: z.string(),
});
export type FormatManifest = z.infer<typeof FormatManifest>;

import { z } from "zod";
import type { ScorerDefinition } from "./types.js";
import { normalizeText } from "./text.js";

const Options = z.strictObject({
  ignore_case: z.boolean().default(false).describe("compare lower-cased"),
  strip_punctuation: z.boolean().default(false).describe("drop Unicode punctuation before comparing"),
  normalize_whitespace: z.boolean().default(true).describe("collapse runs of whitespace to one space"),
});
type Options = z.infer<typeof Options>;

/** Exact match after the usual light normalization: surrounding whitespace, and optionally case. */
export function exactMatch(
  output: string,
  reference: string,
  options: { ignoreCase?: boolean } = {},
): number {
  const norm = (text: string) => (options.ignoreCase ? text.trim().toLowerCase() : text.trim());
  return norm(output) === norm(reference) ? 1 : 0;
}

/** 1 when the output equals the reference after normalization (surrounding whitespace always ignored). */
export const exactMatchScorer: ScorerDefinition<Options> = {
  name: "exact_match",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create(options) {
    const norm = (text: string) =>
      normalizeText(text, {
        lowercase: options.ignore_case,
        stripPunctuation: options.strip_punctuation,
        collapseWhitespace: options.normalize_whitespace,
      });
    return ({ output, reference }) => (norm(output) === norm(reference) ? 1 : 0);
  },
};

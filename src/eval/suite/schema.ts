import { z } from "zod";

/**
 * An eval suite file: which cases, how to generate, which scorers. Strict, so a misspelt key is an error
 * with its line. Each scorer's own options are checked afterwards by that scorer's schema.
 *
 *     name: demo
 *     cases: heldout            # the run's formatted eval split, or a JSONL file relative to this one
 *     limit: 200                # optional: the first N cases
 *     generate: { max_new_tokens: 64, batch_size: 16 }
 *     scorers:
 *       - exact_match: { ignore_case: true }
 *       - rouge_l               # a scorer with default options
 */
export const HELDOUT = "heldout";

const ScorerEntry = z.union(
  [
    z.string().min(1),
    z.record(z.string(), z.unknown()).refine((entry) => Object.keys(entry).length === 1, {
      error: "expected one scorer per list item: `- name: {options}`",
    }),
  ],
  { error: "expected a scorer name, or `name: {options}`" },
);

export const SuiteFile = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected letters, digits, '.', '_' or '-'")
    .describe("the suite's name: its results directory and its label in reports"),
  cases: z
    .string()
    .min(1)
    .describe(
      `"${HELDOUT}" (the run's formatted eval split) or a JSONL file, relative to this suite, of ` +
        `{"prompt", "reference"} rows or formatted {"segments"} rows`,
    ),
  limit: z.int().min(1).optional().describe("score only the first N cases"),
  generate: z
    .strictObject({
      max_new_tokens: z.int().min(1).optional(),
      batch_size: z.int().min(1).optional(),
    })
    .prefault({})
    .describe("overrides of the run's eval.generate settings"),
  scorers: z.array(ScorerEntry).min(1).describe("scorers, each `- name` or `- name: {options}`"),
});
export type SuiteFile = z.infer<typeof SuiteFile>;

/** The keys allowed at a path of a suite file, for "did you mean" hints. */
export function suiteKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(SuiteFile.shape);
  if (path.length === 1 && path[0] === "generate") return ["max_new_tokens", "batch_size"];
  return [];
}

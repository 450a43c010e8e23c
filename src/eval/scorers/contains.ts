import { z } from "zod";
import type { ScorerDefinition } from "./types.js";

const Options = z
  .strictObject({
    any: z.array(z.string().min(1)).min(1).optional().describe("pass when any of these appears"),
    all: z.array(z.string().min(1)).min(1).optional().describe("pass when every one of these appears"),
    ignore_case: z.boolean().default(false),
  })
  .refine((o) => (o.any === undefined) !== (o.all === undefined), {
    error: "give exactly one of `any` or `all` (a list of strings)",
  });
type Options = z.infer<typeof Options>;

/** 1 when the output contains any (or all) of the given strings. */
export const containsScorer: ScorerDefinition<Options> = {
  name: "contains",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create(options) {
    const fold = (text: string) => (options.ignore_case ? text.toLowerCase() : text);
    const needles = (options.any ?? options.all ?? []).map(fold);
    const test = options.any ? "some" : "every";
    return ({ output }) => (needles[test]((needle) => fold(output).includes(needle)) ? 1 : 0);
  },
};

import { z } from "zod";
import type { ScorerDefinition } from "./types.js";
import { messageOf } from "../../errors/index.js";

const Options = z
  .strictObject({
    pattern: z.string().min(1).describe("a JavaScript regular expression the output must match"),
    flags: z
      .string()
      .regex(/^[imsu]*$/, "expected some of the flags i, m, s, u")
      .default("")
      .describe("i: ignore case, m: ^/$ per line, s: . matches newlines, u: Unicode"),
  })
  .check((ctx) => {
    const problem = compileError(ctx.value.pattern, ctx.value.flags);
    if (problem) {
      ctx.issues.push({ code: "custom", input: ctx.value.pattern, path: ["pattern"], message: problem });
    }
  });
type Options = z.infer<typeof Options>;

function compileError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return `invalid regular expression: ${messageOf(error)}`;
  }
}

/** 1 when the output matches the pattern anywhere (anchor it with ^…$ for a full match). */
export const regexScorer: ScorerDefinition<Options> = {
  name: "regex",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create(options) {
    const re = new RegExp(options.pattern, options.flags);
    return ({ output }) => (re.test(output) ? 1 : 0);
  },
};

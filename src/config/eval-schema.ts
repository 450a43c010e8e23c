import { z } from "zod";
import { GateExpressionText } from "./gate-expression.js";

/** The run config's `eval:` block: suites, generation settings, gates, and the champion gates may name. */
export const Eval = z
  .strictObject({
    suites: z
      .array(z.string().min(1))
      .default(() => [])
      .describe("eval suite files (relative to this config)"),
    generate: z
      .strictObject({
        max_new_tokens: z.int().min(1).default(128),
        batch_size: z.int().min(1).default(8),
      })
      .prefault({})
      .describe("generation settings for evals"),
    gates: z
      .record(z.string().min(1), GateExpressionText)
      .default(() => ({}))
      .describe(
        'metric (or suite/metric) → condition the adapter must meet, e.g. exact_match: ">= base + 0.05", ' +
          'json_valid: ">= 0.99", loss: "<= base", exact_match: ">= champion - 0.01" (with compare_to); a ' +
          "failed gate makes `pipeline run` exit 1",
      ),
    compare_to: z
      .string()
      .min(1)
      .optional()
      .describe(
        "the champion: a run id (in the runs directory) or an adapter directory (relative to this config) on the " +
          "same base; evaluated beside the new adapter on the same suites with the same paired tests, and gates " +
          "may name `champion`",
      ),
  })
  .check((ctx) => {
    if (ctx.value.compare_to !== undefined) return;
    for (const [key, expression] of Object.entries(ctx.value.gates)) {
      if (!/\bchampion\b/.test(expression)) continue;
      ctx.issues.push({
        code: "custom",
        input: expression,
        path: ["gates", key],
        message: `gate ${key} names the champion but eval.compare_to is not set; set it to a run id or an adapter directory`,
      });
    }
  });

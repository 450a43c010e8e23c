import { z } from "zod";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({});

/** The output as JSON, after trimming surrounding whitespace; undefined when it does not parse. */
export function parseJsonOutput(output: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(output.trim()) as unknown };
  } catch {
    return undefined;
  }
}

/** 1 when the whole output (surrounding whitespace aside) is one JSON value. */
export const jsonValidScorer: ScorerDefinition<z.infer<typeof Options>> = {
  name: "json_valid",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create() {
    return ({ output }) => (parseJsonOutput(output) ? 1 : 0);
  },
};

import { z } from "zod";

/** What the judge is asked to answer, also sent as the JSON Schema of the structured output. */
export const verdictSchema = z.object({
  // Judges sometimes quote numbers; a quoted "8" is still a clear answer.
  score: z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().min(1).max(10)),
  reason: z.string().default(""),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const verdictJsonSchema = {
  type: "object",
  properties: {
    score: { type: "integer", minimum: 1, maximum: 10 },
    reason: { type: "string" },
  },
  required: ["score", "reason"],
  additionalProperties: false,
} as const;

export type VerdictParse = { ok: true; verdict: Verdict } | { ok: false; problem: string };

/**
 * Reads a verdict from a judge's reply. Servers that ignore `response_format` wrap the JSON in prose or
 * code fences, so this takes the first balanced `{...}` that parses, then checks it.
 */
export function parseVerdict(reply: string): VerdictParse {
  const json = firstJsonObject(reply);
  if (json === undefined) return { ok: false, problem: `no JSON object in the reply: ${preview(reply)}` };
  const checked = verdictSchema.safeParse(json);
  if (checked.success) return { ok: true, verdict: checked.data };
  const issue = checked.error.issues[0];
  const where = issue?.path.join(".") || "verdict";
  return { ok: false, problem: `${where}: ${issue?.message ?? "invalid"} in ${preview(reply)}` };
}

/** The first substring starting at a `{` whose balanced braces parse as a JSON object. */
export function firstJsonObject(text: string): Record<string, unknown> | undefined {
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    try {
      const value: unknown = JSON.parse(text.slice(start, end + 1));
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // Not JSON from this brace; try the next one.
    }
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 when unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return i;
  }
  return -1;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workspaceJsonSchema } from "./schema.js";

describe("workspace JSON Schema", () => {
  it("matches the committed schema/workspace.schema.json (run `npm run schema` when this fails)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/workspace.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(workspaceJsonSchema());
  });

  it("is strict, needs no key, and describes every top-level key", () => {
    const schema = workspaceJsonSchema() as {
      additionalProperties: boolean;
      required?: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    for (const [key, value] of Object.entries(schema.properties))
      expect([key, value.description]).toEqual([key, expect.any(String)]);
  });
});

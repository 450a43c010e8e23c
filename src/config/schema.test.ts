import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "./schema.js";

describe("config JSON Schema", () => {
  it("matches the committed schema/config.schema.json (run `npm run schema` when this fails)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/config.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(configJsonSchema());
  });

  it("is strict, allows extends, and leaves defaulted keys optional", () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(["base_model", "datasets"]);
    expect(schema.properties.extends?.description).toMatch(/objects merge, lists replace/);
  });
});

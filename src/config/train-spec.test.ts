import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trainSpecJsonSchema } from "./train-spec.js";

describe("TrainSpec JSON Schema", () => {
  it("matches schema/train-spec.schema.json, which the Python trainer validates against (`npm run schema`)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/train-spec.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(trainSpecJsonSchema());
  });

  it("requires every field, so the trainer never falls back to a default of its own", () => {
    const schema = trainSpecJsonSchema() as {
      required: string[];
      properties: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
    };
    expect(schema.required.sort()).toEqual(Object.keys(schema.properties).sort());
    for (const key of ["lora", "training", "data", "output"]) {
      const nested = schema.properties[key]!;
      expect(nested.required?.sort()).toEqual(Object.keys(nested.properties ?? {}).sort());
    }
  });
});

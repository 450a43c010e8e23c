import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventsJsonSchema, TrainerEvent } from "./event-contract.js";

describe("the trainer's event stream contract", () => {
  it("matches the committed schema/events.schema.json (run `npm run schema` when this fails)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/events.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(eventsJsonSchema());
  });

  it("names every event type, each closed to fields the contract does not name", () => {
    const schema = eventsJsonSchema() as { oneOf?: { properties: { type: { const: string } } }[] };
    const variants = (schema.oneOf ?? (schema as { anyOf?: typeof schema.oneOf }).anyOf)!;
    expect(variants.map((v) => v.properties.type.const).sort()).toEqual(
      ["checkpoint", "done", "error", "eval", "start", "step"].sort(),
    );
    for (const variant of variants) expect(variant).toMatchObject({ additionalProperties: false });
    expect(TrainerEvent.options).toHaveLength(variants.length);
  });
});

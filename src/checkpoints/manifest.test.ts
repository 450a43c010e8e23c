import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { manifestJsonSchema } from "./manifest.js";

describe("the checkpoint manifest contract", () => {
  it("matches the committed schema/manifest.schema.json, which the trainer reads manifests with", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/manifest.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(manifestJsonSchema());
  });
});

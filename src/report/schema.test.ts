import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Report, reportJsonSchema } from "./schema.js";

const fixture = () =>
  JSON.parse(
    readFileSync(new URL("../../test/fixtures/report/report.json", import.meta.url), "utf8"),
  ) as Report;

describe("report.json schema", () => {
  it("matches the committed schema/report.schema.json (run `npm run schema` when this fails)", () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../schema/report.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(reportJsonSchema());
  });

  it("accepts the fixture report and rejects unknown keys and other versions", () => {
    expect(Report.safeParse(fixture()).success).toBe(true);
    expect(Report.safeParse({ ...fixture(), extra: 1 }).success).toBe(false);
    expect(Report.safeParse({ ...fixture(), version: 2 }).success).toBe(false);
    const schema = reportJsonSchema() as { additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
  });
});

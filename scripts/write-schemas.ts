// Writes the JSON Schemas generated from the zod contracts. `npm run schema`; a test fails when stale.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/config/schema.js";
import { trainSpecJsonSchema } from "../src/config/train-spec.js";
import { reportJsonSchema } from "../src/report/schema.js";
import { workspaceJsonSchema } from "../src/budget/schema.js";
import { eventsJsonSchema } from "../src/run-dir/event-contract.js";
import { manifestJsonSchema } from "../src/checkpoints/manifest.js";

const schemas = {
  "train-spec.schema.json": trainSpecJsonSchema(),
  "config.schema.json": configJsonSchema(),
  "report.schema.json": reportJsonSchema(),
  "workspace.schema.json": workspaceJsonSchema(),
  "events.schema.json": eventsJsonSchema(),
  "manifest.schema.json": manifestJsonSchema(),
};
for (const [name, schema] of Object.entries(schemas)) {
  const out = new URL(`../schema/${name}`, import.meta.url);
  writeFileSync(out, JSON.stringify(schema, null, 2) + "\n");
  console.log(`wrote ${out.pathname}`);
}

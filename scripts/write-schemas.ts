// Writes the JSON Schemas generated from the zod contracts. `npm run schema`; a test fails when stale.
import { writeFileSync } from "node:fs";
import { trainSpecJsonSchema } from "../src/config/train-spec.js";

const out = new URL("../schema/train-spec.schema.json", import.meta.url);
writeFileSync(out, JSON.stringify(trainSpecJsonSchema(), null, 2) + "\n");
console.log(`wrote ${out.pathname}`);

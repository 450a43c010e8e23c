import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { parseJsonOutput } from "./json-valid.js";
import type { ScorerDefinition } from "./types.js";
import { messageOf } from "../../errors/index.js";

const Options = z.strictObject({
  schema: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())], {
      error: "expected a JSON Schema object, or the path of a .json file holding one",
    })
    .describe("a JSON Schema inline, or a file path relative to the suite file"),
});
type Options = z.infer<typeof Options>;

/** 1 when the output parses as JSON and conforms to the schema (draft-07, or 2020-12 when it says so). */
export const jsonSchemaScorer: ScorerDefinition<Options> = {
  name: "json_schema",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create(options, context) {
    const schema =
      typeof options.schema === "string"
        ? readSchema(resolve(dirname(context.suiteFile), options.schema))
        : options.schema;
    const validate = compile(schema);
    return ({ output }) => {
      const parsed = parseJsonOutput(output);
      return parsed && validate(parsed.value) ? 1 : 0;
    };
  },
};

function readSchema(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`schema file not found: ${file}`, { cause: error });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`schema file ${file} is not JSON: ${messageOf(error)}`, { cause: error });
  }
}

// User schemas: unknown keywords and formats are tolerated rather than refused (strict: false).
function compile(schema: Record<string, unknown>): ValidateFunction {
  const is2020 = String(schema.$schema ?? "").includes("2020-12");
  const ajv = is2020 ? new Ajv2020({ strict: false }) : new Ajv({ strict: false });
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new Error(`invalid JSON Schema: ${messageOf(error)}`, { cause: error });
  }
}

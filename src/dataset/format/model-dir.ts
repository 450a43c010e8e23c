import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../errors/index.js";
import type { SpecialTokens } from "./template.js";

export interface ModelDir {
  dir: string;
  /** `<dir>/tokenizer_config.json`, named in the manifest as where the tokens came from. */
  configPath: string;
  tokens: SpecialTokens;
  /** Every `*_token` of the config, as the variables transformers gives a chat template. */
  variables: Record<string, string>;
  chatTemplate?: { text: string; origin: string };
}

/** Reads the tokens and chat template of a Hugging Face model directory (transformers 4 or 5 layout). */
export async function readModelDir(dir: string): Promise<ModelDir> {
  const configPath = join(dir, "tokenizer_config.json");
  const config = await readJson(configPath);
  if (config === undefined) {
    throw new UsageError("model-dir-invalid", `${configPath}: not found`, {
      hint: "--model takes a model directory that holds tokenizer_config.json (as saved by transformers)",
    });
  }
  const variables = tokenVariables(config);
  const tokens = { bos: variables.bos_token ?? "", eos: variables.eos_token ?? "" };
  const chatTemplate = await findChatTemplate(dir, config);
  return { dir, configPath, tokens, variables, ...(chatTemplate ? { chatTemplate } : {}) };
}

// transformers 5 saves the template as chat_template.jinja; older models keep it in the config, either
// as a string or as a list of named templates ({name, template}) of which "default" is the chat one.
async function findChatTemplate(dir: string, config: Record<string, unknown>) {
  const jinjaPath = join(dir, "chat_template.jinja");
  const jinja = await readText(jinjaPath);
  if (jinja !== undefined) return { text: jinja, origin: jinjaPath };
  const jsonPath = join(dir, "chat_template.json");
  const json = await readJson(jsonPath);
  if (typeof json?.chat_template === "string") return { text: json.chat_template, origin: jsonPath };
  const inline = inlineTemplate(config.chat_template);
  return inline === undefined ? undefined : { text: inline, origin: join(dir, "tokenizer_config.json") };
}

function inlineTemplate(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return undefined;
  const named = value as { name?: unknown; template?: unknown }[];
  const chosen = named.find((entry) => entry.name === "default") ?? named[0];
  return typeof chosen?.template === "string" ? chosen.template : undefined;
}

/** `bos_token: "<s>"` or `bos_token: {content: "<s>", …}` (an AddedToken); null means none. */
function tokenVariables(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith("_token")) continue;
    const text = typeof value === "string" ? value : (value as { content?: unknown } | null)?.content;
    if (typeof text === "string") out[key] = text;
  }
  return out;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError("model-dir-invalid", `${path}: cannot be read`, { cause: error });
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below, as for any other non-object
  }
  throw new UsageError("model-dir-invalid", `${path}: not a JSON object`, {
    hint: "the model directory looks damaged; save it again with transformers",
  });
}

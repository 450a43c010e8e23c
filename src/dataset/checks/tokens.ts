import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError, messageOf } from "../../errors/index.js";

export type CountTokens = (text: string) => number;

/** Without a tokenizer, tokens are estimated as characters / 4 (and reported as an estimate). */
export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

/**
 * Exact counts from a `tokenizer.json` (or a model directory holding one, with its optional
 * `tokenizer_config.json`). The library is imported only here, so other commands never load it.
 */
export async function loadTokenCounter(path: string): Promise<CountTokens> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError("unreadable-file", `--tokenizer ${path}: no such file or directory`);
  const file = info.isDirectory() ? join(path, "tokenizer.json") : path;
  const configFile = join(info.isDirectory() ? path : join(path, ".."), "tokenizer_config.json");
  const tokenizerJson = await readJson(file, true);
  const config = (await readJson(configFile, false)) ?? {};
  const { Tokenizer } = await import("@huggingface/tokenizers");
  const tokenizer = new Tokenizer(tokenizerJson as object, config as object);
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;
}

async function readJson(file: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    if (!required) return undefined;
    throw new UsageError("unreadable-file", `--tokenizer: cannot read ${file}`, {
      hint: "pass a tokenizer.json or a model directory that holds one",
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError("invalid-tokenizer", `--tokenizer: ${file} is not valid JSON (${messageOf(error)})`);
  }
}

import { readFile } from "node:fs/promises";
import { type Document, LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { type KeyPath, isPlainObject } from "./key-path.js";
import { Origins } from "./origins.js";
import { type ProblemList } from "./problems.js";
import { messageOf } from "../errors/index.js";

/** One config file, parsed: its plain value and the line of every key in it. */
export interface ConfigLayer {
  value: Record<string, unknown>;
  origins: Origins;
  doc: Document;
}

export interface ReadOptions {
  /** Read a file with no content (only comments) as an empty mapping; for files whose every key has a default. */
  emptyIsMapping?: boolean;
}

export async function readConfigFile(
  file: string,
  shown: string,
  problems: ProblemList,
  options: ReadOptions = {},
): Promise<ConfigLayer | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    problems.add(shown, missing ? "file not found" : `cannot read: ${String(error)}`);
    return undefined;
  }
  return parseConfigText(text, shown, problems, options);
}

export function parseConfigText(
  text: string,
  shown: string,
  problems: ProblemList,
  options: ReadOptions = {},
): ConfigLayer | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  for (const error of doc.errors) {
    problems.add(`${shown}:${lines.linePos(error.pos[0]).line}`, `invalid YAML: ${error.message}`);
  }
  if (doc.errors.length > 0) return undefined;
  const value = plainValue(doc, options);
  if (value instanceof Error) {
    problems.add(shown, `invalid YAML: ${value.message}`);
    return undefined;
  }
  if (!isPlainObject(value)) {
    problems.add(shown, "a config file must be a YAML mapping of keys (base_model:, datasets:, …)");
    return undefined;
  }
  const origins = new Origins();
  origins.set([], { source: shown });
  recordLines(doc.contents, [], origins, (offset) => ({ source: shown, line: lines.linePos(offset).line }));
  return { value, origins, doc };
}

/**
 * The document as plain values. The yaml library refuses to expand a document whose aliases multiply (an
 * alias bomb: nested `&a` / `*a` lists) by throwing; that is bad input, returned as an Error to report.
 */
function plainValue(doc: Document, options: ReadOptions): unknown {
  if (doc.contents === null && options.emptyIsMapping) return {};
  try {
    return doc.toJS();
  } catch (error) {
    if (!/alias/i.test(messageOf(error))) throw error;
    return new Error(
      "it expands too many aliases (*name), as an alias bomb does; write the repeated values out, or use fewer aliases",
      { cause: error },
    );
  }
}

// Records the line of each map key and sequence item; problems point at the key the user wrote.
function recordLines(
  node: unknown,
  path: KeyPath,
  origins: Origins,
  at: (offset: number) => { source: string; line: number },
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyPath = [...path, key];
      const range = isScalar(pair.key) ? pair.key.range : undefined;
      if (range) origins.set(keyPath, at(range[0]));
      recordLines(pair.value, keyPath, origins, at);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const range = (item as { range?: [number, number, number] } | null)?.range;
      if (range) origins.set([...path, index], at(range[0]));
      recordLines(item, [...path, index], origins, at);
    });
  }
}

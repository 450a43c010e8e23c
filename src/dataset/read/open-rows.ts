import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { extname } from "node:path";
import { UsageError } from "../../errors/index.js";
import { ArrayScanner } from "./array-scanner.js";
import { CHUNK_BYTES, readJsonLines } from "./json-lines.js";
import type { ByteCount, RawRow, RowSource } from "./raw-row.js";
import { readParquet } from "./parquet.js";
import { localFile } from "./local-file.js";

const SNIFF_BYTES = 64 * 1024;

/**
 * Opens a dataset file for streaming; an `hf://datasets/…` path is fetched into the Hugging Face cache first. `.jsonl` is JSON Lines; `.json` is a JSON array, or JSON Lines
 * when it starts with `{` (the Hugging Face `json` loader reads both); `.parquet` is Parquet. Throws UsageError (exit 2) for a
 * missing or unreadable file or an unknown extension.
 */
export async function openRows(location: string): Promise<RowSource> {
  const path = await assertDatasetFile(location);
  const extension = extname(path).toLowerCase();
  if (extension === ".parquet")
    return { file: path, kind: "index", layout: "Parquet", batches: readParquet(path) };
  const read: ByteCount = { bytes: 0 };
  if (extension === ".jsonl")
    return { file: path, kind: "line", layout: "JSON Lines", batches: readJsonLines(path, read), read };
  const { first, offset, firstLine } = await sniff(path);
  if (first === "[")
    return { file: path, kind: "index", layout: "JSON array", batches: readArray(path, offset, read), read };
  if (first === "{" && firstLine === "{")
    return { file: path, kind: "line", layout: "JSON object", batches: singleObject() };
  return { file: path, kind: "line", layout: "JSON Lines", batches: readJsonLines(path, read), read };
}

/**
 * Throws UsageError unless the location is a readable file with a dataset extension; returns the local file
 * (an `hf://` location is fetched into the Hugging Face cache).
 */
export async function assertDatasetFile(location: string): Promise<string> {
  const path = await localFile(location);
  const extension = extname(path).toLowerCase();
  if (extension !== ".jsonl" && extension !== ".json" && extension !== ".parquet") {
    throw new UsageError(
      "unknown-extension",
      `${path}: expected a .jsonl, .json or .parquet file, got "${extension || "no extension"}"`,
      {
        hint: "save the dataset as JSON Lines (.jsonl, one JSON object per line), a JSON array (.json) or Parquet",
      },
    );
  }
  await checkReadable(path);
  return path;
}

async function checkReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError("not-a-file", `${path}: not a file`);
    const handle = await open(path, "r");
    await handle.close();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code);
    throw new UsageError("unreadable-file", `${path}: cannot read the file (${why})`, {
      hint: "check the path; paths are relative to the current directory",
    });
  }
}

/** The first non-blank character after an optional BOM, and where it is. */
async function sniff(path: string): Promise<{ first: string; offset: number; firstLine: string }> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    let i = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    while (
      i < bytesRead &&
      (buffer[i] === 0x20 || buffer[i] === 0x0a || buffer[i] === 0x0d || buffer[i] === 0x09)
    )
      i++;
    const newline = buffer.indexOf(0x0a, i);
    const firstLine = buffer.toString("utf8", i, newline < 0 ? bytesRead : newline).trim();
    return { first: i < bytesRead ? String.fromCharCode(buffer[i]!) : "", offset: i, firstLine };
  } finally {
    await handle.close();
  }
}

async function* readArray(path: string, offset: number, read: ByteCount): AsyncGenerator<RawRow[]> {
  const scanner = new ArrayScanner();
  read.bytes = offset;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES, start: offset })) {
    const rows = scanner.push(chunk as Buffer);
    read.bytes += (chunk as Buffer).length;
    if (rows.length > 0) yield rows;
  }
  const rest = scanner.finish();
  if (rest.length > 0) yield rest;
}

/** A pretty-printed single object (a config, not rows): one clear problem instead of one per line. */
async function* singleObject(): AsyncGenerator<RawRow[]> {
  const message =
    "this .json file holds one JSON object spread over many lines, not rows; a dataset is a JSON array of rows or one JSON object per line";
  yield [{ location: 1, value: undefined, issue: { path: "", code: "not-json", message } }];
}

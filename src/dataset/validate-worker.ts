import { parentPort, workerData } from "node:worker_threads";
import { RowFacts, transferList } from "./checks/row-facts.js";
import { loadTokenCounter } from "./checks/tokens.js";
import type { ConcreteFormat } from "./parsers/index.js";
import { parseRow } from "./read-records.js";
import { splitLines } from "./read/json-lines.js";

/** What validate-workers.ts starts each worker with. */
export interface WorkerSetup {
  format: ConcreteFormat | undefined;
  reason: string;
  tokenizer?: string;
}

/** A run of whole lines of a JSON Lines file; `first` when it starts the file (a BOM may lead it). */
export interface ChunkMessage {
  id: number;
  bytes: Uint8Array;
  first: boolean;
}

// One thread of `dataset validate` on a large JSON Lines file: decodes, parses and checks the rows of each
// chunk it is sent, and sends back their facts (row-facts.ts) with locations counted from the chunk's start.
const { format, reason, tokenizer } = workerData as WorkerSetup;
const ready = (async () => new RowFacts(tokenizer ? await loadTokenCounter(tokenizer) : undefined))();
parentPort!.on("message", async ({ id, bytes, first }: ChunkMessage) => {
  const facts = await ready;
  const state = { line: 0, first };
  const rows = splitLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), state);
  const batch = facts.batch(rows.map((row) => parseRow(row, format, reason)));
  batch.lines = state.line;
  parentPort!.postMessage({ id, batch }, transferList(batch));
});

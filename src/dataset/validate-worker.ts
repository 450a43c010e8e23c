import { parentPort, workerData } from "node:worker_threads";
import { RowFacts, transferList } from "./checks/row-facts.js";
import { loadTokenCounter } from "./checks/tokens.js";
import type { ConcreteFormat } from "./parsers/index.js";
import { parseRow } from "./read-records.js";
import { LineRangeReader, splitLines } from "./read/json-lines.js";

/** What validate-workers.ts starts each worker with. */
export interface WorkerSetup {
  format: ConcreteFormat | undefined;
  reason: string;
  tokenizer?: string;
}

/** What each worker is started with: the setup, and the open file it reads its ranges of. */
export interface WorkerData extends WorkerSetup {
  fd: number;
  chunkBytes: number;
}

/** A byte range of the file: the worker checks the lines that start in it. */
export interface RangeMessage {
  id: number;
  start: number;
  end: number;
}

// One thread of `dataset validate` on a large JSON Lines file: reads, parses and checks the lines that start in
// each byte range it is sent, and sends back their facts (row-facts.ts) with locations counted from the range's
// first line.
const { format, reason, tokenizer, fd, chunkBytes } = workerData as WorkerData;
const reader = new LineRangeReader(fd, chunkBytes);
const ready = (async () => new RowFacts(tokenizer ? await loadTokenCounter(tokenizer) : undefined))();
parentPort!.on("message", async ({ id, start, end }: RangeMessage) => {
  const facts = await ready;
  const state = { line: 0, first: start === 0 };
  const rows = splitLines(reader.read(start, end), state);
  const batch = facts.batch(rows.map((row) => parseRow(row, format, reason)));
  batch.lines = state.line;
  parentPort!.postMessage({ id, batch }, transferList(batch));
});

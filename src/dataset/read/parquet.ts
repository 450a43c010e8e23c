import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { UsageError, messageOf } from "../../errors/index.js";
import type { RawRow } from "./raw-row.js";

/**
 * The rows of a Parquet file (the format of most Hugging Face datasets), one row group at a time so a big
 * file never sits in memory at once. hyparquet reads it; hyparquet-compressors adds zstd, gzip, brotli and
 * lz4 besides its own snappy. A row's location is its index from 0, as for a JSON array.
 */
export async function* readParquet(path: string): AsyncGenerator<RawRow[]> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file).catch((error: unknown) => {
    throw new UsageError("not-parquet", `${path}: not a readable Parquet file (${messageOf(error)})`, {
      hint: "check the file; a dataset is .jsonl, .json or .parquet",
    });
  });
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, compressors, rowStart: start, rowEnd: end });
    yield rows.map((value, i) => ({ location: start + i, value: plain(value) }));
    start = end;
  }
}

/** BigInt (INT64 columns) is not JSON: small ones become numbers, others strings, as JSON would carry them. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && !(value instanceof Date) && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

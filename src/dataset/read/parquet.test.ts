import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { validateFile } from "../validate-file.js";
import { readParquet } from "./parquet.js";

async function parquetFile(columnData: Parameters<typeof parquetWriteBuffer>[0]["columnData"]) {
  const path = join(await mkdtemp(join(tmpdir(), "parquet-")), "rows.parquet");
  await writeFile(path, Buffer.from(parquetWriteBuffer({ columnData })));
  return path;
}

describe("readParquet", () => {
  it("reads rows as JSON values, INT64 as numbers, with their index as location", async () => {
    const path = await parquetFile([
      { name: "text", data: ["a", "b"], type: "STRING" },
      { name: "n", data: [1n, 9007199254740993n], type: "INT64" },
    ]);
    const rows = [];
    for await (const batch of readParquet(path)) rows.push(...batch);
    expect(rows).toEqual([
      { location: 0, value: { text: "a", n: 1 } },
      { location: 1, value: { text: "b", n: "9007199254740993" } },
    ]);
  });

  it("is validated like any dataset file: an Alpaca Parquet file with a bad row", async () => {
    const path = await parquetFile([
      { name: "instruction", data: ["Say hi", "Say bye"], type: "STRING" },
      { name: "output", data: ["hi", ""], type: "STRING" },
    ]);
    const report = await validateFile(path, { format: "alpaca" });
    expect(report).toMatchObject({ layout: "Parquet", rows: 2, validRows: 1 });
    expect(report.errors[0]).toMatchObject({ index: 1, path: "output" });
  });

  it("refuses a file that is not Parquet with exit 2", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "parquet-")), "rows.parquet");
    await writeFile(path, "not parquet at all");
    await expect(validateFile(path, {})).rejects.toThrow(/not a readable Parquet file/);
  });
});

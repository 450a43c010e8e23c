import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArrayScanner } from "./array-scanner.js";
import { LineRangeReader } from "./json-lines.js";
import { openRows } from "./open-rows.js";
import type { RawRow } from "./raw-row.js";

const dir = mkdtempSync(join(tmpdir(), "pipeline-read-"));

async function rows(name: string, content: string | Buffer): Promise<RawRow[]> {
  const file = join(dir, name);
  writeFileSync(file, content);
  const all: RawRow[] = [];
  for await (const batch of (await openRows(file)).batches) all.push(...batch);
  return all;
}
const summary = (list: RawRow[]) => list.map((r) => [r.location, r.issue?.code ?? r.value]);

describe("JSON Lines", () => {
  it("tolerates a BOM, CRLF and blank lines, and counts lines as an editor does", async () => {
    const list = await rows("a.jsonl", '\uFEFF{"a":1}\r\n\r\n  \n{"a":2}\r\n{"a":3}');
    expect(summary(list)).toEqual([
      [1, { a: 1 }],
      [4, { a: 2 }],
      [5, { a: 3 }],
    ]);
  });

  it("rejects only the lines with invalid UTF-8 or broken JSON", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"ok"}\n{"a":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n{"a": }\n{"a":"fine"}\n'),
    ]);
    const list = await rows("b.jsonl", bytes);
    expect(summary(list)).toEqual([
      [1, { a: "ok" }],
      [2, "invalid-utf8"],
      [3, "not-json"],
      [4, { a: "fine" }],
    ]);
    expect(list[1]?.issue?.message).toContain("byte 10 of the line (0xE9)");
  });

  it("skips blank lines next to a line with invalid UTF-8, as everywhere else", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\r\n\r\n{"a":1}\r\n'),
    ]);
    expect(summary(await rows("blank-near-bad.jsonl", bytes))).toEqual([
      [1, "invalid-utf8"],
      [3, { a: 1 }],
    ]);
  });

  it("reports raw control characters instead of a bare JSON error", async () => {
    const list = await rows("c.jsonl", '{"a":"x\u0001y"}\n');
    expect(list[0]?.issue?.code).toBe("control-characters");
  });

  it("reads a .json file that holds JSON Lines", async () => {
    expect(summary(await rows("d.json", '{"a":1}\n{"a":2}\n'))).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });
});

describe("reading a JSON Lines file in byte ranges (the validation workers' share)", () => {
  // Lines of 0 to 40 bytes (blank ones, CRLF ends), one far longer than a range and its read-ahead, and no
  // newline at the end: every way a range's cut can fall.
  const lines = Array.from(
    { length: 400 },
    (_, i) => "x".repeat((i * 7) % 41) + (i % 5 === 0 ? "\r\n" : "\n"),
  );
  lines[200] = "y".repeat(20_000) + "\n";
  const content = Buffer.from(lines.join("") + "last");
  const file = join(dir, "ranges.jsonl");
  writeFileSync(file, content);

  // Where each line starts and ends (past its newline), worked out the plain way, to check each range against.
  const starts = [
    0,
    ...[...content.keys()].filter((i) => content[i] === 10 && i + 1 < content.length).map((i) => i + 1),
  ];
  const endOf = (lineStart: number) => {
    const newline = content.indexOf(10, lineStart);
    return newline < 0 ? content.length : newline + 1;
  };

  it("gives the lines that start in each range, whole, wherever the range is cut", () => {
    const fd = openSync(file, "r");
    try {
      for (const size of [1, 2, 3, 16, 41, 1000, 5000]) {
        const reader = new LineRangeReader(fd, size);
        const pieces: Buffer[] = [];
        let next = 0; // the first line not yet given
        for (let start = 0; start < content.length; start += size) {
          const end = Math.min(start + size, content.length);
          const first = next;
          while (next < starts.length && starts[next]! < end) next++;
          const expected =
            next === first ? "" : content.toString("latin1", starts[first], endOf(starts[next - 1]!));
          const bytes = reader.read(start, end);
          expect(bytes.toString("latin1")).toBe(expected);
          pieces.push(Buffer.from(bytes));
        }
        // Ranges that tile the file give every line once.
        expect(Buffer.concat(pieces).equals(content)).toBe(true);
      }
    } finally {
      closeSync(fd);
    }
  });
});

describe("JSON array", () => {
  const tricky = [{ s: 'brackets ] } [ { and "quotes" and \\ backslash' }, 7, "x,y", [1, [2]], { n: null }];

  it("splits elements correctly wherever the chunks are cut", () => {
    const bytes = Buffer.from(JSON.stringify(tricky, null, 1));
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const scanner = new ArrayScanner();
      const out = [
        ...scanner.push(bytes.subarray(0, cut)),
        ...scanner.push(bytes.subarray(cut)),
        ...scanner.finish(),
      ];
      expect(out.map((r) => r.value)).toEqual(tricky);
    }
  });

  it("locates elements by 0-based index and reports a broken one alone", async () => {
    const list = await rows("e.json", '\uFEFF [ {"a":1}, {"a": tru}, {"a":3} ]');
    expect(summary(list)).toEqual([
      [0, { a: 1 }],
      [1, "not-json"],
      [2, { a: 3 }],
    ]);
  });

  it("reports truncation, trailing commas and text after the array", async () => {
    expect(summary(await rows("f.json", '[{"a":1}, {"a":'))).toEqual([
      [0, { a: 1 }],
      [1, "not-json"],
    ]);
    expect(summary(await rows("g.json", "[1,]"))).toEqual([
      [0, 1],
      [1, "not-json"],
    ]);
    const after = await rows("h.json", "[1] x");
    expect(after[1]?.issue?.message).toContain('unexpected "x" after the closing ]');
    expect(await rows("i.json", "[]")).toEqual([]);
  });

  it("says so when a .json file is one pretty-printed object", async () => {
    const list = await rows("j.json", '{\n  "alpaca": {"file_name": "a.json"}\n}\n');
    expect(list[0]?.issue?.message).toContain("one JSON object spread over many lines");
  });
});

describe("opening files", () => {
  it("throws a usage error for a missing file or an unknown extension", async () => {
    await expect(openRows(join(dir, "missing.jsonl"))).rejects.toMatchObject({
      code: "unreadable-file",
      exitCode: 2,
    });
    await expect(openRows(join(dir, "data.csv"))).rejects.toMatchObject({
      code: "unknown-extension",
      exitCode: 2,
    });
  });
});

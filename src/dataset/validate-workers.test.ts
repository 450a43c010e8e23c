import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateFile } from "./index.js";
import { PARALLEL_MIN_BYTES, workersFor } from "./validate-workers.js";

const dir = mkdtempSync(join(tmpdir(), "pipeline-validate-workers-"));
const tokenizer = join(import.meta.dirname, "../../test/fixtures/tokenizer/tokenizer.json");

const chat = (user: string, assistant: string) => ({
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ],
});

/**
 * About 3 MB of chat rows (a dozen 256 KiB chunks) with every kind of trouble the workers must report just
 * as the single-threaded pass does: a BOM, CRLF line ends, blank lines, broken JSON, bytes that are not
 * UTF-8, rows of the wrong shape, duplicates far apart (in other chunks), placeholders, a form feed, a
 * row longer than a chunk, and no newline after the last row.
 */
function troubledFile(): string {
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  const line = (text: string, end = "\n") => parts.push(Buffer.from(text + end));
  for (let i = 0; i < 9000; i++) {
    const answer = `answer ${i} ${"lorem ipsum dolor ".repeat(i % 17)}`;
    if (i % 1499 === 121)
      line(JSON.stringify(chat("question  100", `answer 100 ${"lorem ipsum dolor ".repeat(15)}`)));
    else if (i % 997 === 5) line("{not json", "\n");
    else if (i % 1201 === 7) parts.push(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]));
    else if (i % 613 === 3) line(JSON.stringify({ messages: [{ role: "user", content: "no answer" }] }));
    else if (i % 701 === 9) line(JSON.stringify([1, 2]));
    else if (i % 433 === 11) line("");
    else if (i % 389 === 13) line(JSON.stringify(chat(`question ${i % 50}`, `answer ${i % 50} `)), "\r\n");
    else if (i % 211 === 17) line(JSON.stringify(chat(`Fill in {{name}} for ${i}`, answer)));
    else if (i % 307 === 19) line(JSON.stringify(chat(`page\fbreak ${i}`, answer)));
    else if (i === 4500) line(JSON.stringify(chat("long", "word ".repeat(70_000))));
    else line(JSON.stringify(chat(`question ${i}`, answer)));
  }
  line(JSON.stringify(chat("last", "row without a newline")), "");
  const file = join(dir, "troubled.jsonl");
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

describe("dataset validation on worker threads", () => {
  const file = troubledFile();
  const evalFile = join(dir, "eval.jsonl");
  writeFileSync(
    evalFile,
    [chat("question 42", "answer 42 " + "lorem ipsum dolor ".repeat(42 % 17))]
      .map((r) => JSON.stringify(r))
      .join("\n") + "\n",
  );

  it("gives the same report as the single-threaded pass", { timeout: 60_000 }, async () => {
    const serial = await validateFile(file, { workers: 0, evalFile });
    for (const workers of [1, 2, 3]) {
      expect(await validateFile(file, { workers, evalFile })).toEqual(serial);
    }
    // The report is not trivially equal: it found what the file holds, across chunks.
    expect(serial.rows).toBe(9001 - 21);
    expect(new Set(serial.errors.map((e) => e.code))).toEqual(
      new Set(["not-json", "invalid-utf8", "no-assistant-turn", "not-object"]),
    );
    const codes = serial.warnings.map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining(["duplicate", "placeholder", "long-row", "odd-whitespace", "eval-overlap"]),
    );
    const duplicate = serial.warnings.find((w) => w.code === "duplicate")!;
    expect(duplicate.examples.slice(0, 2)).toEqual([
      { line: 122, detail: "same as line 101" },
      { line: 1621, detail: "same as line 101" },
    ]);
    expect(serial.warnings.find((w) => w.code === "eval-overlap")!.examples[0]!.line).toBe(43);
  });

  it("counts exact tokens with the tokenizer in every worker", { timeout: 60_000 }, async () => {
    const serial = await validateFile(file, { workers: 0, tokenizer });
    expect(serial.stats.tokens.exact).toBe(true);
    expect(await validateFile(file, { workers: 2, tokenizer })).toEqual(serial);
  });

  it(
    "reports its progress in bytes of the file, in order, up to the whole file",
    { timeout: 60_000 },
    async () => {
      const size = statSync(file).size;
      for (const workers of [0, 2]) {
        const seen: number[] = [];
        await validateFile(file, {
          workers,
          onProgress: (bytes, total) => seen.push(total === size ? bytes : NaN),
        });
        expect(seen.length, `workers ${workers}`).toBeGreaterThan(5); // ~3 MB in 256 KiB steps
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
        expect(seen.at(-1)).toBe(size);
      }
    },
  );

  it("closes the file the workers read once they are done", { timeout: 60_000 }, async () => {
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    await validateFile(file, { workers: 2 });
    expect(open()).toBe(before);
  });

  it("uses workers only for large files on machines with more than one core", () => {
    expect(workersFor(PARALLEL_MIN_BYTES - 1, 8)).toBe(0);
    expect(workersFor(PARALLEL_MIN_BYTES, 1)).toBe(0);
    expect(workersFor(PARALLEL_MIN_BYTES, 2)).toBe(2);
    expect(workersFor(1 << 30, 64)).toBe(4);
  });
});

import { describe, expect, it } from "vitest";
import { WhitespaceHash } from "./whitespace-hash.js";

function digest(fields: string[]): string {
  const hash = new WhitespaceHash();
  hash.reset();
  for (const field of fields) hash.add(field);
  hash.finish();
  return `${hash.high >>> 0}:${hash.low >>> 0}`;
}

/** What the hash must ignore, spelled out: ASCII whitespace runs become one space, ends trimmed. */
const normalize = (text: string) => text.replace(/[ \t\n\v\f\r]+/g, " ").replace(/^ | $/g, "");

describe("WhitespaceHash", () => {
  it("hashes a text as it hashes the text normalized", () => {
    const pieces = [
      "a",
      "日本語",
      "é",
      "🙂",
      " ",
      "  ",
      "\t",
      "\n\n",
      "\r\n",
      "\v",
      "\f",
      "\u3000",
      "\u00a0",
    ];
    let seed = 7;
    const pick = () => pieces[(seed = (seed * 48271) % 2147483647) % pieces.length]!;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: i % 40 }, pick).join("");
      expect(digest([text, "x"]), JSON.stringify(text)).toBe(digest([normalize(text), "x"]));
    }
    expect(digest(["word ".repeat(50_000)])).toBe(digest([normalize("word ".repeat(50_000))]));
  });

  it("tells apart texts that differ in more than ASCII whitespace", () => {
    expect(digest(["a b c"])).not.toBe(digest(["abc"]));
    expect(digest(["a b c"])).not.toBe(digest(["a b d"]));
    expect(digest(["ab", "c"])).not.toBe(digest(["a", "bc"]));
    expect(digest(["a\u3000b"])).not.toBe(digest(["a b"]));
    expect(digest(["a\u00a0b"])).not.toBe(digest(["a b"]));
    expect(digest([""])).not.toBe(digest([]));
    expect(digest(["a"])).not.toBe(digest(["a\0"]));
    expect(digest(["abc"])).not.toBe(digest(["ab\0c"]));
  });

  it("spreads texts that differ only in the second unit of each pair of units", () => {
    // Two units go into each step: a change in the upper half of the step's input must reach the whole hash.
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const odd = [...String(i).padStart(6, "0")].map((digit) => `x${digit}`).join("");
      seen.add(digest([odd]));
    }
    expect(seen.size).toBe(100_000);
    const halves = new Set<string>();
    for (let i = 0; i < 65_536; i++) halves.add(digest([`a${String.fromCharCode(i)}`]).split(":")[1]!);
    expect(halves.size).toBeGreaterThan(65_000); // the low word alone, near one per input
  });

  it("spreads distinct texts over distinct fingerprints", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(digest([`row ${i}`, String(i * 7)]));
    expect(seen.size).toBe(100_000);
  });
});

import { describe, expect, it } from "vitest";
import { SpaceHash } from "./space-hash.js";

/** The same hash in plain BigInt arithmetic: FNV-1a 64 over normalized UTF-8, 0x1f after each field. */
function reference(fields: string[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const field of fields) {
    const normalized = field.replace(/[ \t\n\v\f\r]+/g, " ").replace(/^ | $/g, "");
    for (const byte of Buffer.from(normalized + "\x1f"))
      hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & (2n ** 64n - 1n);
  }
  return `${hash >> 32n}:${hash & 0xffffffffn}`;
}

function wasm(fields: string[]): string {
  const hash = new SpaceHash();
  hash.reset();
  for (const field of fields) hash.add(field);
  return `${hash.high >>> 0}:${hash.low >>> 0}`;
}

describe("SpaceHash (wasm)", () => {
  it.each([
    [["a b c"]],
    [["  a \t\n b  ", "", "   "]],
    [["café — 日本語 🙂", "x"]],
    [["word ".repeat(50_000)]], // grows the module's memory
  ])("matches the reference implementation for %#", (fields) => {
    expect(wasm(fields)).toBe(reference(fields));
  });
});

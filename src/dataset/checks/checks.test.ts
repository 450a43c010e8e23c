import { describe, expect, it } from "vitest";
import { FingerprintTable } from "./hash-table.js";
import { placeholderIn } from "./placeholders.js";
import { RecordHasher } from "./record-hash.js";
import { Reservoir } from "./reservoir.js";
import type { CanonicalRecord } from "../types.js";

const text = (t: string): CanonicalRecord => ({ kind: "text", text: t });
function fingerprint(record: CanonicalRecord): string {
  const hasher = new RecordHasher();
  hasher.hash(record);
  return `${hasher.high}:${hasher.low}`;
}

describe("record fingerprints", () => {
  it("ignore differences in whitespace only", () => {
    expect(fingerprint(text("  a  b\n\tc "))).toBe(fingerprint(text("a b c")));
    expect(fingerprint(text("a b c"))).not.toBe(fingerprint(text("abc")));
    expect(fingerprint(text("a b c"))).not.toBe(fingerprint(text("a b d")));
  });

  it("separate turns and roles", () => {
    const chat = (user: string, assistant: string): CanonicalRecord => ({
      kind: "chat",
      messages: [
        { role: "user", content: user },
        { role: "assistant", content: assistant },
      ],
    });
    expect(fingerprint(chat("a b", "c"))).not.toBe(fingerprint(chat("a", "b c")));
    expect(fingerprint(chat("é ü", "ok"))).toBe(fingerprint(chat("é  ü", "ok")));
  });
});

describe("fingerprint table", () => {
  it("remembers first locations across growth", () => {
    const table = new FingerprintTable();
    let repeats = 0;
    for (let i = 0; i < 50_000; i++) if (table.add(i, i * 7, i)) repeats++;
    expect(repeats).toBe(0);
    expect(table.add(123, 861, 99_999)).toEqual({ first: 123, firstRepeat: true });
    expect(table.add(123, 861, 100_000)).toEqual({ first: 123, firstRepeat: false });
    expect(table.lookup(49_999, 349_993)).toBe(49_999);
    expect(table.lookup(1, 1)).toBe(-1);
  });
});

describe("placeholders", () => {
  it("finds template variables in prose", () => {
    expect(placeholderIn("Write a poem about {{topic}}.")).toBe("{{topic}}");
    expect(placeholderIn("Dear {customer_name}, thanks for your order")).toBe("{customer_name}");
  });

  it("leaves code, JSON, LaTeX and set notation alone", () => {
    expect(placeholderIn('Use `print(f"{name}")` here')).toBeUndefined();
    expect(placeholderIn('{"name": "x"}')).toBeUndefined();
    expect(placeholderIn("\\frac{num}{den}")).toBeUndefined();
    expect(placeholderIn("In Vue: ```<p>{{ message }}</p>```")).toBeUndefined();
    expect(placeholderIn("let x = {value}")).toBeUndefined();
    expect(placeholderIn("the set {a, b}")).toBeUndefined();
  });
});

describe("reservoir", () => {
  it("gives exact percentiles below its size and a sample above", () => {
    const small = new Reservoir();
    for (let i = 1; i <= 100; i++) small.add(i);
    expect(small.summary()).toEqual({ p50: 51, p95: 96, max: 100, sampled: false });
    const large = new Reservoir();
    for (let i = 0; i < 200_000; i++) large.add(i % 1000);
    const { p50, p95, max, sampled } = large.summary();
    expect(sampled).toBe(true);
    expect(max).toBe(999);
    expect(Math.abs(p50 - 500)).toBeLessThan(30);
    expect(Math.abs(p95 - 950)).toBeLessThan(15);
  });
});

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// End-to-end: the built `pipeline` binary on the real LLaMA-Factory datasets and on malformed fixtures.
const root = join(import.meta.dirname, "..");
const realDir = join(root, "../shared/real-datasets/llamafactory");
const fixture = (name: string) => join(root, "test/fixtures/datasets", name);

function pipeline(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "bin/pipeline.js"), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
function reports(stdout: string) {
  return stdout
    .trim()
    .split("\n")
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          errors: Record<string, unknown>[];
          warnings: { code: string }[];
        },
    );
}

describe("real datasets", () => {
  const expected: Record<string, { format: string; rows: number }> = {
    "alpaca_en_demo.json": { format: "alpaca", rows: 999 },
    "glaive_toolcall_en_demo.json": { format: "sharegpt", rows: 300 },
    "dpo_en_demo.json": { format: "preference", rows: 300 },
  };
  const files = readdirSync(realDir).filter((f) => f.endsWith(".json") && f !== "dataset_info.json");

  it("knows every shipped file", () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)("accepts %s with its real row count and format", (file) => {
    const { code, stdout, stderr } = pipeline("dataset", "validate", join(realDir, file), "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [report] = reports(stdout);
    const { format, rows } = expected[file]!;
    expect(report).toMatchObject({
      format,
      rows,
      validRows: rows,
      valid: true,
      errors: [],
      locationKind: "index",
    });
    expect(report!.warnings.map((w) => w.code)).toContain("few-examples");
  });

  it("prints a readable report for several files at once", () => {
    const { code, stdout } = pipeline("dataset", "validate", ...files.map((f) => join(realDir, f)));
    expect(code).toBe(0);
    expect(stdout).toContain("alpaca_en_demo.json: alpaca (auto:");
    expect(stdout).toContain("999 rows, 999 valid — valid");
    expect(stdout).toContain("roles: system 0, user 746, assistant 957, tool 211");
    expect(stdout).toContain("tokens per row (estimate: characters / 4)");
  });
});

describe("malformed fixtures", () => {
  const cases: [string, number, Record<string, unknown>[]][] = [
    ["bom-crlf.jsonl", 0, []],
    ["invalid-utf8.jsonl", 1, [{ line: 2, path: "", code: "invalid-utf8" }]],
    ["broken-line.jsonl", 1, [{ line: 3, path: "", code: "not-json" }]],
    [
      "unknown-role.jsonl",
      1,
      [
        { line: 2, path: "messages[1].role", code: "unknown-role" },
        { line: 3, path: "messages", code: "no-assistant-turn" },
      ],
    ],
    ["control-chars.jsonl", 1, [{ line: 1, path: "instruction", code: "control-characters" }]],
    ["broken-array.json", 1, [{ index: 1, path: "", code: "not-json" }]],
    ["valid-alpaca.json", 0, []],
  ];

  it.each(cases)("%s exits %i with the expected errors", (name, exitCode, errors) => {
    const { code, stdout, stderr } = pipeline("dataset", "validate", fixture(name), "--json");
    expect(stderr).toBe("");
    expect(code).toBe(exitCode);
    const [report] = reports(stdout);
    expect(report!.errors.map(({ message: _, ...rest }) => rest)).toEqual(errors);
    for (const error of report!.errors) expect(error.message).toMatch(/;|:/);
  });

  it("has the documented --json shape", () => {
    const [report] = reports(pipeline("dataset", "validate", fixture("unknown-role.jsonl"), "--json").stdout);
    expect(Object.keys(report!)).toEqual(
      expect.arrayContaining(["file", "format", "rows", "validRows", "errors", "warnings", "stats"]),
    );
    expect(report).toMatchObject({ format: "messages", rows: 3, validRows: 1, errorsOmitted: 0 });
    expect(report!.stats).toMatchObject({ roles: { user: 1, assistant: 1 }, tokens: { exact: false } });
  });

  it("groups errors by code with locations in the terminal report", () => {
    const { code, stdout } = pipeline("dataset", "validate", fixture("unknown-role.jsonl"));
    expect(code).toBe(1);
    expect(stdout).toContain("unknown-role ×1");
    expect(stdout).toMatch(/unknown-role\.jsonl:2 › messages\[1\]\.role: unknown role "bot"/);
    expect(stdout).toContain("3 rows, 1 valid — 2 invalid");
  });

  it("checks a forced --format against the rows", () => {
    const { code, stdout } = pipeline(
      "dataset",
      "validate",
      fixture("valid-alpaca.json"),
      "--format",
      "messages",
      "--json",
    );
    expect(code).toBe(1);
    expect(reports(stdout)[0]!.errors[0]).toMatchObject({ index: 0, code: "format-mismatch" });
  });
});

describe("worker threads", () => {
  it("the built CLI's workers report what the main thread does", () => {
    const files = [
      "bom-crlf.jsonl",
      "broken-line.jsonl",
      "control-chars.jsonl",
      "invalid-utf8.jsonl",
      "unknown-role.jsonl",
    ].map(fixture);
    const serial = pipeline("dataset", "validate", ...files, "--workers", "0", "--json");
    const threaded = pipeline("dataset", "validate", ...files, "--workers", "2", "--json");
    expect(threaded.code).toBe(serial.code);
    expect(reports(threaded.stdout)).toEqual(reports(serial.stdout));
    expect(reports(serial.stdout)[0]!.rows).toBeGreaterThan(0);
  });
});

describe("usage problems", () => {
  it.each([
    [["dataset", "validate", "missing.jsonl"], "unreadable-file"],
    [["dataset", "validate", fixture("bom-crlf.jsonl"), "--bogus"], "unknown option"],
    [["dataset", "validate", "data.csv"], "unknown-extension"],
    [["dataset", "validate", fixture("bom-crlf.jsonl"), "--max-tokens", "lots"], "invalid-option"],
    [["dataset", "validate", fixture("bom-crlf.jsonl"), "--workers", "-1"], "invalid-option"],
  ])("%j exits 2 without a stack trace", (args, text) => {
    const { code, stdout, stderr } = pipeline(...args);
    expect(code).toBe(2);
    expect(stdout + stderr).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

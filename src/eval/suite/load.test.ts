import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../errors/index.js";
import { loadSuite, loadSuites } from "./load.js";
import { ALIAS_BOMB } from "../../../test/helpers/workspace.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "suite-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function problemsOf(dir: string, files = ["suite.yaml"]) {
  const error = await loadSuites(files, { cwd: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((p) => `${p.location}: ${p.message}`);
}

const CASES =
  '{"prompt": "Capital of France?", "reference": "Paris"}\n{"prompt": "2+2?", "reference": "4"}\n';

describe("loadSuite", () => {
  it("loads cases and builds each scorer with its options", async () => {
    const dir = workspace({
      "suite.yaml": [
        "name: facts",
        "cases: cases.jsonl",
        "limit: 1",
        "generate: { max_new_tokens: 8 }",
        "scorers:",
        "  - exact_match: { ignore_case: true }",
        "  - rouge_l",
        "  - regex: { pattern: '^P' }",
      ].join("\n"),
      "cases.jsonl": CASES,
    });
    const suite = await loadSuite("suite.yaml", { cwd: dir });
    expect(suite).toMatchObject({ name: "facts", limit: 1, generate: { max_new_tokens: 8 } });
    expect(suite.cases).toMatchObject({ source: "file", rows: [{ reference: "Paris" }, { reference: "4" }] });
    expect(suite.scorers.map((s) => s.name)).toEqual(["exact_match", "rouge_l", "regex"]);
    const input = { index: 0, prompt: "", reference: "paris", output: "PARIS", latency_s: 1, new_tokens: 1 };
    expect(suite.scorers.map((s) => s.score(input))).toEqual([1, 1, 1]);
  });

  it("accepts the held-out split", async () => {
    const dir = workspace({ "suite.yaml": "name: h\ncases: heldout\nscorers: [exact_match]\n" });
    expect((await loadSuite("suite.yaml", { cwd: dir })).cases).toEqual({ source: "heldout" });
  });

  it("reports an invalid scorer option at its line, with the option's path", async () => {
    const dir = workspace({
      "suite.yaml": "name: s\ncases: heldout\nscorers:\n  - rouge_l\n  - exact_match: { ignore_cas: true }\n",
    });
    expect(await problemsOf(dir)).toEqual([
      'suite.yaml:5 › scorers[1].exact_match.ignore_cas: unknown key "ignore_cas"; did you mean "ignore_case"?',
    ]);
  });

  it("reports an invalid regex and a missing schema file before anything runs", async () => {
    const dir = workspace({
      "suite.yaml": [
        "name: s",
        "cases: heldout",
        "scorers:",
        "  - regex: { pattern: '(' }",
        "  - json_schema: { schema: missing.json }",
      ].join("\n"),
    });
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatch(/^suite\.yaml:4 › scorers\[0\]\.regex\.pattern: invalid regular expression/);
    expect(problems[1]).toMatch(
      /^suite\.yaml:5 › scorers\[1\]\.json_schema: schema file not found: .*missing\.json/,
    );
  });

  it("reports an unknown scorer with a suggestion", async () => {
    const dir = workspace({ "suite.yaml": "name: s\ncases: heldout\nscorers:\n  - rougel\n" });
    expect(await problemsOf(dir)).toEqual([
      'suite.yaml:4 › scorers[0]: unknown scorer "rougel"; did you mean "rouge_l"?',
    ]);
  });

  it("reports a missing cases file at the cases line", async () => {
    const dir = workspace({ "suite.yaml": "name: s\ncases: data/nope.jsonl\nscorers: [exact_match]\n" });
    expect(await problemsOf(dir)).toEqual(["suite.yaml:2 › cases: cases file not found: data/nope.jsonl"]);
  });

  it("reports bad rows of the cases file with their lines", async () => {
    const dir = workspace({
      "suite.yaml": "name: s\ncases: cases.jsonl\nscorers: [exact_match]\n",
      "cases.jsonl":
        '{"prompt": "a", "reference": "b"}\n{"prompt": "a"}\nnot json\n{"segments": [{"text": "x", "train": false}]}\n',
    });
    const problems = await problemsOf(dir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      'cases.jsonl:2 › reference: expected a string (rows are {"prompt", "reference"} or {"segments"})',
    );
    expect(problems[1]).toMatch(/^cases\.jsonl:3: invalid JSON/);
    expect(problems[2]).toBe("cases.jsonl:4 › segments: no trained segment to use as the reference");
  });

  it("reports unknown keys and bad values of the suite itself", async () => {
    const dir = workspace({
      "suite.yaml": "name: s\ncases: heldout\nlimt: 3\ngenerate: { batch_size: 0 }\nscorers: []\n",
    });
    expect(await problemsOf(dir)).toEqual([
      "suite.yaml:4 › generate.batch_size: expected ≥ 1, got 0",
      "suite.yaml:5 › scorers: expected at least 1 item(s)",
      'suite.yaml:3 › limt: unknown key "limt"; did you mean "limit"?',
    ]);
  });

  it("collects the problems of several suites, and refuses a name used twice", async () => {
    const dir = workspace({
      "a.yaml": "name: same\ncases: heldout\nscorers: [exact_match]\n",
      "b.yaml": "name: same\ncases: heldout\nscorers: [exact_match]\n",
      "c.yaml": "cases: heldout\nscorers: [exact_match]\n",
    });
    const problems = await problemsOf(dir, ["a.yaml", "b.yaml", "c.yaml"]);
    expect(problems).toEqual([
      "c.yaml › name: required key is missing (expected string)",
      'b.yaml: suite name "same" is used twice',
    ]);
  });

  it("refuses a YAML alias bomb as invalid YAML, naming the file", async () => {
    const dir = workspace({
      "suite.yaml": `name: facts\ncases: cases.jsonl\n${ALIAS_BOMB}`,
      "cases.jsonl": CASES,
    });
    expect(await problemsOf(dir)).toEqual([
      expect.stringMatching(/suite\.yaml: invalid YAML: .*too many aliases/),
    ]);
  });
});

describe("preference scorers in a suite", () => {
  it("are refused on a cases file, at the cases line", async () => {
    const dir = workspace({
      "suite.yaml": "name: p\ncases: cases.jsonl\nscorers:\n  - preference_accuracy\n",
      "cases.jsonl": CASES,
    });
    expect(await problemsOf(dir)).toEqual([
      "suite.yaml:2 › cases: scorer preference_accuracy scores preference pairs: use cases: heldout in a training.method: dpo run",
    ]);
    const heldout = workspace({ "suite.yaml": "name: p\ncases: heldout\nscorers:\n  - preference_margin\n" });
    expect((await loadSuite("suite.yaml", { cwd: heldout })).scorers.map((s) => s.name)).toEqual([
      "preference_margin",
    ]);
  });
});

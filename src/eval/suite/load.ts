import { dirname, resolve } from "node:path";
import { ProblemList, readConfigFile, reportIssues, showPath } from "../../config/index.js";
import { ConfigError } from "../../errors/index.js";
import { type CaseRow, readCaseRows } from "./case-rows.js";
import { HELDOUT, SuiteFile, suiteKeysAt } from "./schema.js";
import { type SuiteScorer, buildScorers } from "./scorers.js";

/** A loaded, fully checked suite: nothing about it can fail once generation starts. */
export interface Suite {
  name: string;
  /** The suite file, absolute. */
  file: string;
  cases: { source: "heldout" } | { source: "file"; file: string; rows: CaseRow[] };
  limit?: number;
  generate: { max_new_tokens?: number; batch_size?: number };
  scorers: SuiteScorer[];
}

export interface LoadSuiteOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Loads one suite; every problem is thrown together as one ConfigError (exit 2). */
export async function loadSuite(file: string, options: LoadSuiteOptions = {}): Promise<Suite> {
  return (await loadSuites([file], options))[0]!;
}

/**
 * Loads suites and checks each completely — shape, scorer names and options, the cases file and each
 * of its rows — collecting every problem of every suite into one ConfigError with file:line locations.
 */
export async function loadSuites(files: readonly string[], options: LoadSuiteOptions = {}): Promise<Suite[]> {
  const cwd = options.cwd ?? process.cwd();
  const problems = new ProblemList();
  const suites: Suite[] = [];
  for (const file of files) {
    const suite = await loadOne(resolve(cwd, file), cwd, options.env ?? process.env, problems);
    if (suite) suites.push(suite);
  }
  const names = suites.map((s) => s.name);
  for (const [i, name] of names.entries()) {
    if (names.indexOf(name) !== i)
      problems.add(showPath(suites[i]!.file, cwd), `suite name "${name}" is used twice`);
  }
  if (problems.size > 0)
    throw invalidSuites(
      files.map((f) => showPath(resolve(cwd, f), cwd)),
      problems,
    );
  return suites;
}

async function loadOne(
  file: string,
  cwd: string,
  env: Record<string, string | undefined>,
  problems: ProblemList,
): Promise<Suite | undefined> {
  const shown = showPath(file, cwd);
  const before = problems.size;
  const layer = await readConfigFile(file, shown, problems);
  if (!layer) return undefined;
  const parsed = SuiteFile.safeParse(layer.value, { reportInput: true });
  if (!parsed.success)
    return void reportIssues(parsed.error.issues, layer.origins, shown, problems, suiteKeysAt);
  const value = parsed.data;
  const scorers = buildScorers(value.scorers, layer, shown, problems, { suiteFile: file, env });
  let cases: Suite["cases"] = { source: "heldout" };
  if (value.cases !== HELDOUT) {
    const casesFile = resolve(dirname(file), value.cases);
    const at = layer.origins.locate(["cases"], shown);
    const rows = await readCaseRows(casesFile, showPath(casesFile, cwd), at, problems);
    cases = { source: "file", file: casesFile, rows: rows ?? [] };
    // Pairs are scored from a DPO run's held-out split; a cases file holds prompts to generate from.
    for (const scorer of scorers.filter((s) => s.name.startsWith("preference_"))) {
      problems.add(
        layer.origins.locate(["cases"], shown),
        `scorer ${scorer.name} scores preference pairs: use cases: heldout in a training.method: dpo run`,
      );
    }
  }
  if (problems.size > before) return undefined;
  return { name: value.name, file, cases, limit: value.limit, generate: value.generate, scorers };
}

function invalidSuites(files: readonly string[], problems: ProblemList): ConfigError {
  const count = problems.size === 1 ? "1 problem" : `${problems.size} problems`;
  const what = files.length === 1 ? `${files[0]} is not a valid eval suite` : "the eval suites are not valid";
  return new ConfigError("invalid-suite", `${what} (${count})`, {
    problems: problems.items,
    hint: "fix each line listed above; nothing was generated",
  });
}

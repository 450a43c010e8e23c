import { z } from "zod";
import { type ProblemList, type ConfigLayer, reportIssues, suggestKey } from "../../config/index.js";
import { SCORER_NAMES, getScorer } from "../scorers/index.js";
import type { CaseScorer, ScorerDefinition } from "../scorers/types.js";
import { messageOf } from "../../errors/index.js";

/** A scorer of a suite, ready to score: its definition and the per-case function built from its options. */
export interface SuiteScorer {
  name: string;
  definition: ScorerDefinition;
  score: CaseScorer;
}

/**
 * Resolves each `- name: {options}` entry: an unknown scorer, an invalid option or an option that
 * cannot be used (a regex that does not compile, a schema file that is missing) is a problem at the
 * entry's line, found here before any generation runs.
 */
export function buildScorers(
  entries: readonly (string | Record<string, unknown>)[],
  layer: ConfigLayer,
  shown: string,
  problems: ProblemList,
  context: { suiteFile: string; env: Record<string, string | undefined> },
): SuiteScorer[] {
  const scorers: SuiteScorer[] = [];
  entries.forEach((entry, index) => {
    const [name, raw] = typeof entry === "string" ? [entry, {}] : Object.entries(entry)[0]!;
    const path = ["scorers", index, name];
    const definition = getScorer(name);
    if (!definition) {
      const near = suggestKey(name, SCORER_NAMES);
      const hint = near ? `did you mean "${near}"?` : `expected one of: ${SCORER_NAMES.join(", ")}`;
      return problems.add(
        layer.origins.locate(["scorers", index], shown),
        `unknown scorer "${name}"; ${hint}`,
      );
    }
    if (scorers.some((s) => s.name === name)) {
      return problems.add(layer.origins.locate(path, shown), `scorer "${name}" is listed twice`);
    }
    const parsed = definition.options.safeParse(raw ?? {}, { reportInput: true });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
      return reportIssues(issues, layer.origins, shown, problems, (at) =>
        at.length === path.length ? optionKeys(definition) : [],
      );
    }
    try {
      scorers.push({ name, definition, score: definition.create(parsed.data, context) });
    } catch (error) {
      problems.add(layer.origins.locate(path, shown), messageOf(error));
    }
  });
  return scorers;
}

function optionKeys(definition: ScorerDefinition): string[] {
  const schema = z.toJSONSchema(definition.options, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(schema.properties ?? {});
}

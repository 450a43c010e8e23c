import { joinPath, type Issue } from "../problems.js";
import { controlIssue, oddWhitespace } from "../parsers/fields.js";

export interface ControlFindings {
  /** Control characters: the row is rejected. */
  issues: Issue[];
  /** Form feeds and vertical tabs: a warning, as `path: detail`. */
  notes: string[];
}

/** Every string in a parsed row that holds a control character, with its path. Only run on suspect rows. */
export function findControls(
  value: unknown,
  path = "",
  found: ControlFindings = { issues: [], notes: [] },
): ControlFindings {
  if (typeof value === "string") {
    const issue = controlIssue(value, path);
    if (issue) found.issues.push(issue);
    const odd = oddWhitespace(value);
    if (odd) found.notes.push(`${path}: ${odd}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findControls(item, joinPath(path, i), found));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) findControls(item, joinPath(path, key), found);
  }
  return found;
}

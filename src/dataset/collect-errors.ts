import type { ErrorGroup } from "./report.js";
import type { ProblemCode, RowProblem } from "./problems.js";

export const MAX_ERRORS = 1000;
const FIRST_PER_CODE = 5;

/** Keeps the first errors and a count per code, so a file with millions of bad rows stays small. */
export class ErrorCollector {
  readonly errors: RowProblem[] = [];
  omitted = 0;
  private readonly groups = new Map<ProblemCode, ErrorGroup>();

  add(problem: RowProblem): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(problem);
    else this.omitted++;
    let group = this.groups.get(problem.code);
    if (!group) this.groups.set(problem.code, (group = { code: problem.code, count: 0, first: [] }));
    group.count++;
    if (group.first.length < FIRST_PER_CODE) group.first.push(problem);
  }

  summary(): ErrorGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count);
  }
}

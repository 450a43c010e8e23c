import type { DatasetWarning, WarningCode, WarningExample } from "../report.js";
import type { LocationKind } from "../problems.js";

const EXAMPLES = 5;

/** Counts one kind of warning and keeps where it first happened. */
export class Tally {
  count = 0;
  readonly examples: WarningExample[] = [];

  constructor(private readonly kind: LocationKind) {}

  add(location: number, detail: string): void {
    this.count++;
    if (this.examples.length < EXAMPLES) {
      this.examples.push(this.kind === "line" ? { line: location, detail } : { index: location, detail });
    }
  }

  warning(code: WarningCode, message: string): DatasetWarning[] {
    return this.count === 0 ? [] : [{ code, count: this.count, message, examples: this.examples }];
  }
}

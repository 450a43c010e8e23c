import { type Problem } from "../errors/index.js";
import { type KeyPath, pathKey } from "./key-path.js";

/**
 * Every problem of one config load. A problem found before schema validation (a missing environment
 * variable, a bad --set) claims its key path, so the schema's echo of it at the same path is dropped.
 */
export class ProblemList {
  readonly items: Problem[] = [];
  private readonly claimed = new Set<string>();

  add(location: string, message: string): void {
    this.items.push({ location, message });
  }

  claim(path: KeyPath, location: string, message: string): void {
    this.claimed.add(pathKey(path));
    this.add(location, message);
  }

  addUnlessClaimed(path: readonly PropertyKey[], location: string, message: string): void {
    if (!this.claimed.has(pathKey(path))) this.add(location, message);
  }

  get size(): number {
    return this.items.length;
  }
}

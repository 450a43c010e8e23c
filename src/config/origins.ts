import { locate } from "../errors/index.js";
import { type KeyPath, formatPath, isPrefix, pathKey } from "./key-path.js";

export interface Origin {
  /** A config file as shown to the user, or the `--set key=value` flag that set the value. */
  source: string;
  line?: number;
}

/**
 * Where each key of an assembled config came from, so a problem found after `extends` merging and
 * `--set` overrides still points at the file and line the user has to edit.
 */
export class Origins {
  private readonly entries = new Map<string, { path: KeyPath; origin: Origin }>();

  set(path: KeyPath, origin: Origin): void {
    this.entries.set(pathKey(path), { path, origin });
  }

  /** A value was replaced wholesale: its old sub-keys no longer come from anywhere. */
  forgetBelow(path: KeyPath): void {
    for (const [key, entry] of this.entries) {
      if (entry.path.length > path.length && isPrefix(path, entry.path)) this.entries.delete(key);
    }
  }

  all(): { path: KeyPath; origin: Origin }[] {
    return [...this.entries.values()];
  }

  /** The origin of the deepest recorded prefix of `path` (a missing key points at its parent). */
  find(path: readonly PropertyKey[]): Origin | undefined {
    for (let length = path.length; length >= 0; length--) {
      const entry = this.entries.get(pathKey(path.slice(0, length)));
      if (entry) return entry.origin;
    }
    return undefined;
  }

  /** `file:line › key.path`, the location every config problem is printed with. */
  locate(path: readonly PropertyKey[], fallback: string): string {
    const origin = this.find(path) ?? { source: fallback };
    return locate(origin.source, origin.line, formatPath(path) || undefined);
  }
}

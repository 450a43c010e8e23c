import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary directory holding the given files (relative path → text); returns its path. */
export async function workspace(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "pipeline-config-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
  return root;
}

/** A minimal valid config with its dataset files, for tests that change one thing. */
export const MINIMAL = {
  "configs/run.yaml": [
    "base_model: builtin:tiny",
    "datasets:",
    "  - path: ../data/train.jsonl",
    "    template: chatml",
    "",
  ].join("\n"),
  "data/train.jsonl":
    '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n',
  "data/eval.jsonl": '{"messages":[{"role":"user","content":"yo"},{"role":"assistant","content":"hey"}]}\n',
};

/**
 * A "billion laughs" YAML: each list repeats the one before through aliases. The yaml library refuses to
 * expand it (Excessive alias count); a file holding it is bad input, never a crash.
 */
export const ALIAS_BOMB = [
  'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "",
].join("\n");

/** A Hub repository and the revision asked for: `org/name`, `org/name@v1.0`, `org/name@<commit sha>`. */
export interface HubRef {
  type: "model" | "dataset";
  id: string;
  /** A branch, tag or commit sha, as written; `main` when none was. */
  revision: string;
}

// The Hub's own rule for a namespace and a repo name: letters, digits, '-', '_' and '.', not at the ends.
const NAME = String.raw`[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?`;
const ID = new RegExp(`^(${NAME}/${NAME})(?:@(.+))?$`);

/** `org/name[@revision]` → a model ref; undefined when the text is not a hub id. */
export function parseModelRef(text: string): HubRef | undefined {
  const match = ID.exec(text);
  if (!match || match[1]!.includes("..")) return undefined;
  return { type: "model", id: match[1]!, revision: match[2] ?? "main" };
}

export const isHubModelId = (text: string): boolean => parseModelRef(text) !== undefined;

/** The folder name the Hugging Face cache gives a repo: `models--org--name`. */
export function repoFolderName(ref: Pick<HubRef, "type" | "id">): string {
  return [`${ref.type}s`, ...ref.id.split("/")].join("--");
}

/** The repo's page on the Hub (where gated terms are accepted). */
export function repoPage(hubUrl: string, ref: Pick<HubRef, "type" | "id">): string {
  return `${hubUrl}/${ref.type === "dataset" ? "datasets/" : ""}${ref.id}`;
}

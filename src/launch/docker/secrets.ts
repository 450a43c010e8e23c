import { chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Environment variables handed to the trainer as secrets (the hub token, cloud keys). */
export const SECRET_NAMES = [
  "HF_TOKEN",
  "HUGGING_FACE_HUB_TOKEN",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
] as const;

export interface SecretsFile {
  path: string;
  /** Deletes the file and its folder; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Writes the secrets that are set to a 0600 KEY=VALUE file in a private temp folder (never the run
 * directory), owned by the container's uid so it can read it. None set: no file.
 */
export async function writeSecretsFile(
  env: NodeJS.ProcessEnv,
  owner: { uid: number; gid: number } | undefined,
): Promise<SecretsFile | undefined> {
  const lines = SECRET_NAMES.filter((name) => env[name]).map((name) => `${name}=${env[name]}\n`);
  if (lines.length === 0) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "pipeline-secrets-"));
  const path = join(dir, "env");
  await writeFile(path, lines.join(""), { mode: 0o600 });
  if (owner) await chown(path, owner.uid, owner.gid);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The secrets that are set as one JSON line, for a trainer that reads them from its stdin (a remote
 * engine: nothing is written on the remote host). None set: undefined.
 */
export function secretsJson(env: NodeJS.ProcessEnv): string | undefined {
  const set = SECRET_NAMES.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(set.map((name) => [name, env[name]]))) + "\n";
}

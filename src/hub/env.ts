import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The Hub settings Python's `huggingface_hub` reads, read the same way here, so a mirror, an enterprise hub,
 * a token and a cache location set for one side hold for both.
 */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, "");
}

export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface");
}

/** `HF_HUB_CACHE` (or its old name), else `$HF_HOME/hub`: where models--org--name folders live. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome(env), "hub");
}

/** `HF_TOKEN`, its old name, else the file `hf auth login` writes (`HF_TOKEN_PATH`, `$HF_HOME/token`). */
export function hubToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  if (fromEnv) return fromEnv.trim();
  try {
    const saved = readFileSync(env.HF_TOKEN_PATH || join(hfHome(env), "token"), "utf8").trim();
    return saved || undefined;
  } catch {
    return undefined;
  }
}

/** What every library call takes: where the Hub is, and the token when there is one. */
export interface HubAccess {
  hubUrl: string;
  accessToken?: string;
  fetch: typeof fetch;
}

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The cluster's bearer token, where Ray's own CLI looks for it: RAY_AUTH_TOKEN, else the file named by
 * RAY_AUTH_TOKEN_PATH, else ~/.ray/auth_token. Undefined: a cluster without token auth.
 */
export function rayToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RAY_AUTH_TOKEN) return env.RAY_AUTH_TOKEN.trim();
  const path = env.RAY_AUTH_TOKEN_PATH ?? join(homedir(), ".ray", "auth_token");
  return existsSync(path) ? readFileSync(path, "utf8").trim() || undefined : undefined;
}

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.js";
import { root } from "./cli.js";

export interface MlflowFixture {
  uri: string;
  /** GET /api/2.0/mlflow/<path>?query, parsed. */
  get<T = Record<string, unknown>>(path: string, query: Record<string, string>): Promise<T>;
  /** An artifact's bytes through the server's artifact proxy. */
  artifact(path: string): Promise<string>;
  /** The server process ends (its store stays); `start` brings it back on the same port. */
  stop(): void;
  start(): void;
}

/**
 * PyPI's MLflow tracking server on loopback (scripts/tracking-server.sh: a cached venv, a SQLite store), read
 * back through its REST API as any client would.
 */
export async function startMlflow(): Promise<MlflowFixture> {
  const script = join(root, "scripts/tracking-server.sh");
  const install = spawnSync("bash", [script, "install"], { encoding: "utf8" });
  if (install.status !== 0) throw new Error(`installing MLflow failed:\n${install.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), "mlflow-server-"));
  const port = await freePort();
  const start = () => execFileSync("bash", [script, "start", String(port), dir], { encoding: "utf8" });
  const uri = start().trim();
  const fetchOk = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    uri,
    async get<T>(path: string, query: Record<string, string>) {
      const response = await fetchOk(`${uri}/api/2.0/mlflow/${path}?${new URLSearchParams(query)}`);
      return (await response.json()) as T;
    },
    async artifact(path: string) {
      return (await fetchOk(`${uri}/api/2.0/mlflow-artifacts/artifacts/${path}`)).text();
    },
    stop: () => execFileSync("bash", [script, "stop", dir]),
    start: () => void start(),
  };
}

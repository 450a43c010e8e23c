import { execa, type Options } from "execa";
import { UsageError } from "../../errors/index.js";
import { engineEnv, isRemoteEndpoint, type Engine, type EngineInfo } from "./engine.js";
import { unreachable } from "./preflight-rules.js";

/** The one place that runs the docker CLI, against the given engine (else the CLI's own). */
export function docker(args: string[], engine: Engine | undefined, options: Options = {}) {
  return execa("docker", args, { reject: false, env: engineEnv(engine), ...options });
}

/** Output of a docker command that must succeed (a bug or a daemon gone mid-run otherwise). */
export async function dockerOut(args: string[], engine: Engine | undefined): Promise<string> {
  const result = await docker(args, engine);
  if (result.failed) throw new Error(`docker ${args[0]} failed: ${String(result.stderr).trim()}`);
  return String(result.stdout).trim();
}

/**
 * The endpoint the CLI will dial and whether it is on another machine: the configured host, else the
 * shell's DOCKER_HOST, else the (configured or current) context's. Decided once per run.
 */
export async function resolveEngine(engine: Engine): Promise<EngineInfo> {
  let endpoint = engine.host ?? (engine.context === undefined ? process.env.DOCKER_HOST : undefined);
  if (!endpoint) {
    const args = ["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"];
    const result = await docker(engine.context === undefined ? args : [...args, engine.context], engine);
    if (result.failed) {
      throw new UsageError("docker-context", `cannot read the docker context ${engine.context ?? "in use"}`, {
        hint: `${String(result.stderr).trim()}\nlist them with \`docker context ls\`; set runtime.context to one of them`,
      });
    }
    endpoint = String(result.stdout).trim() || "unix:///var/run/docker.sock";
  }
  return { engine, endpoint, remote: isRemoteEndpoint(endpoint) };
}

/** Daemon reachable, else one clear message (exit 2) saying what to do for that kind of endpoint. */
export async function assertDaemon(engine: Engine | undefined, endpoint?: string): Promise<void> {
  const result = await docker(["version", "--format", "{{.Server.Version}}"], engine);
  if (!result.failed) return;
  if ((result as { code?: string }).code === "ENOENT") {
    throw new UsageError("docker-missing", "the docker CLI is not installed", {
      hint: "install Docker (Debian: apt-get install docker.io), or use runtime: { type: local }",
    });
  }
  const where = endpoint ?? engine?.host ?? process.env.DOCKER_HOST;
  const problem = unreachable(where, String(result.stderr));
  throw new UsageError("docker-unavailable", problem.message, { hint: problem.hint });
}

/** The image exists on the engine, else a message saying how to build it. */
export async function assertImage(image: string, engine: Engine | undefined): Promise<string> {
  const result = await docker(["image", "inspect", "--format", "{{.Id}}", image], engine);
  if (!result.failed) return String(result.stdout).trim();
  throw new UsageError("docker-image-missing", `the trainer image ${image} is not on the Docker engine`, {
    hint: `build it: pipeline image build --tag ${image}${engine?.host ? ` --host ${engine.host}` : ""}`,
  });
}

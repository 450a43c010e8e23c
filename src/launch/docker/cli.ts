import { execa, type Options } from "execa";
import { UsageError } from "../../errors/index.js";

/** The one place that runs the docker CLI. `host` sets DOCKER_HOST for it; otherwise the CLI's own. */
export function docker(args: string[], host: string | undefined, options: Options = {}) {
  return execa("docker", args, {
    reject: false,
    env: host === undefined ? {} : { DOCKER_HOST: host },
    ...options,
  });
}

/** Output of a docker command that must succeed (a bug or a daemon gone mid-run otherwise). */
export async function dockerOut(args: string[], host: string | undefined): Promise<string> {
  const result = await docker(args, host);
  if (result.failed) throw new Error(`docker ${args[0]} failed: ${String(result.stderr).trim()}`);
  return String(result.stdout).trim();
}

/** Daemon reachable, else one clear message (exit 2) saying how to start it. */
export async function assertDaemon(host: string | undefined): Promise<void> {
  const result = await docker(["version", "--format", "{{.Server.Version}}"], host);
  if (!result.failed) return;
  const where = host ?? process.env.DOCKER_HOST;
  if ((result as { code?: string }).code === "ENOENT") {
    throw new UsageError("docker-missing", "the docker CLI is not installed", {
      hint: "install Docker (Debian: apt-get install docker.io), or use runtime: { type: local }",
    });
  }
  throw new UsageError(
    "docker-unavailable",
    `the Docker daemon is not running${where ? ` or not reachable at ${where}` : ""}`,
    {
      hint:
        "start it with scripts/docker-engine.sh (or `sudo systemctl start docker`), check `docker info`, " +
        "or use runtime: { type: local }",
    },
  );
}

/** The image exists on the engine, else a message saying how to build it. */
export async function assertImage(image: string, host: string | undefined): Promise<string> {
  const result = await docker(["image", "inspect", "--format", "{{.Id}}", image], host);
  if (!result.failed) return String(result.stdout).trim();
  throw new UsageError("docker-image-missing", `the trainer image ${image} is not on the Docker engine`, {
    hint: `build it: pipeline image build --tag ${image}`,
  });
}

/**
 * The runtime bind-mounts local paths (run directory, model, data), which only works when the engine
 * shares this filesystem: refuse a remote engine until inputs and outputs travel through the container.
 */
export function assertLocalEngine(host: string | undefined): void {
  if (host === undefined || !/^(ssh|tcp|https?):\/\//.test(host)) return;
  throw new UsageError("docker-remote-unsupported", `a remote Docker engine (${host}) is not supported yet`, {
    hint: "the docker runtime mounts local paths; run pipeline on the GPU machine itself, or unset DOCKER_HOST / runtime.host",
  });
}

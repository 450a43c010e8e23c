// The pure half of the docker preflight: what counts as a problem and what the message says.
import { formatBytes, parseSize } from "../sizes.js";

export { formatBytes, parseSize };

const GiB = 1024 ** 3;

/** Why the daemon did not answer, by kind of endpoint, and what to do about it. */
export function unreachable(endpoint: string | undefined, stderr: string): { message: string; hint: string } {
  const reason = lastLine(stderr);
  const because = reason ? ` (${reason})` : "";
  if (endpoint?.startsWith("ssh://")) {
    const { user, host, port } = sshParts(endpoint);
    return {
      message: `cannot reach the Docker engine at ${endpoint} over ssh${because}`,
      hint:
        `check that \`ssh${port ? ` -p ${port}` : ""} ${user ? `${user}@` : ""}${host} docker info\` works without a prompt ` +
        "(key in ssh-agent or ~/.ssh/config, host key in known_hosts), that this user may use docker on that " +
        "host (root or the docker group), and that DOCKER_HOST / runtime.host / runtime.context name the right box",
    };
  }
  if (endpoint && /^(tcp|https?):\/\//.test(endpoint)) {
    return {
      message: `cannot reach the Docker engine at ${endpoint}${because}`,
      hint: "check the address and port, that dockerd listens there, and the TLS settings (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH); or set DOCKER_HOST / runtime.host to another engine",
    };
  }
  return {
    message: `the Docker daemon is not running${endpoint ? ` or not reachable at ${endpoint}` : ""}`,
    hint:
      "start it with scripts/docker-engine.sh (or `sudo systemctl start docker`), check `docker info` and DOCKER_HOST, " +
      "or use runtime: { type: local }",
  };
}

function sshParts(endpoint: string): { user?: string; host: string; port?: string } {
  const url = new URL(endpoint);
  return {
    host: url.hostname,
    ...(url.username && { user: url.username }),
    ...(url.port && { port: url.port }),
  };
}

function lastLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ""
  );
}

/** The container gets --gpus when the device may be a GPU and the runtime does not turn GPUs off. */
export function wantsGpus(device: string, gpus: string): boolean {
  return device !== "cpu" && gpus !== "none";
}

/** `df -Pk <path>` → the available bytes of its filesystem. */
export function parseDfAvailable(output: string): number {
  const row = output.trim().split("\n").at(-1)?.trim().split(/\s+/) ?? [];
  const kib = Number(row[3]);
  if (row.length < 6 || !Number.isFinite(kib)) throw new Error(`unexpected df output: ${output}`);
  return kib * 1024;
}

/**
 * Free space the engine's data root needs. A local engine writes checkpoints to the bind-mounted run
 * directory, so its data root only holds the container's layer and logs: 1 GiB. A remote engine holds
 * copies of the inputs (base model, data, resume checkpoint) and every checkpoint until the run ends: the
 * inputs plus 2 GiB (a LoRA checkpoint is the adapter and its optimizer state, far smaller than the base).
 * `runtime.min_free_disk` overrides both.
 */
export function diskNeed(options: {
  remote: boolean;
  inputBytes: number;
  configured?: string | undefined;
}): number {
  if (options.configured !== undefined) return parseSize(options.configured);
  if (!options.remote) return GiB;
  return options.inputBytes + 2 * GiB;
}

/**
 * Which Docker engine a run talks to, and whether it shares this machine's filesystem. Decided once per
 * run: a local engine gets bind mounts; a remote one (ssh://, tcp://, a context pointing at either) gets
 * its inputs and outputs copied through the container.
 */
export interface Engine {
  /** DOCKER_HOST for the docker CLI (runtime.host); wins over a context. */
  host?: string;
  /** A docker context name (runtime.context). */
  context?: string;
}

/** The engine the config names; neither set means the docker CLI's own (DOCKER_HOST, DOCKER_CONTEXT, current context). */
export function engineFor(runtime: { host?: string | undefined; context?: string | undefined }): Engine {
  if (runtime.host !== undefined) return { host: runtime.host };
  if (runtime.context !== undefined) return { context: runtime.context };
  return {};
}

/** Environment for the docker CLI: the configured engine replaces whichever the user's shell names. */
export function engineEnv(engine: Engine | undefined): Record<string, string | undefined> {
  if (engine?.host !== undefined) return { DOCKER_HOST: engine.host, DOCKER_CONTEXT: undefined };
  if (engine?.context !== undefined) return { DOCKER_CONTEXT: engine.context, DOCKER_HOST: undefined };
  return {};
}

/** An endpoint on another machine: no bind mount of a local path would reach it. */
export function isRemoteEndpoint(endpoint: string): boolean {
  return /^(ssh|tcp|https?):\/\//i.test(endpoint);
}

/** How a message names the engine. */
export function describeEngine(engine: Engine, endpoint: string | undefined): string {
  if (engine.context !== undefined) return `context ${engine.context}${endpoint ? ` (${endpoint})` : ""}`;
  return endpoint ?? "the default engine";
}

/** The resolved engine of a run: where it is and how files reach it. */
export interface EngineInfo {
  engine: Engine;
  /** The endpoint the CLI dials (unix:///var/run/docker.sock, ssh://user@host, …). */
  endpoint: string;
  remote: boolean;
}

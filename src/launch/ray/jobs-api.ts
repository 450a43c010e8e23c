import { setTimeout as sleep } from "node:timers/promises";
import { FailedError, UsageError, messageOf } from "../../errors/index.js";
import { http } from "./http.js";

/** A job as `GET /api/jobs/<id>` describes it (the fields this runtime reads). */
export interface RayJob {
  submission_id: string;
  status: "PENDING" | "RUNNING" | "STOPPED" | "SUCCEEDED" | "FAILED";
  message: string | null;
  error_type: string | null;
  driver_exit_code: number | null;
  driver_node_id: string | null;
}

export const TERMINAL = new Set(["STOPPED", "SUCCEEDED", "FAILED"]);

export interface SubmitRequest {
  entrypoint: string;
  submission_id: string;
  runtime_env: { working_dir: string; env_vars: Record<string, string>; config: { eager_install: boolean } };
  entrypoint_num_cpus?: number;
}

/**
 * Ray's Jobs REST API (the dashboard, e.g. http://head:8265) with a bearer token when the cluster uses token
 * auth. No Python SDK: plain fetch. Every failure is a message that names the address and what to do.
 */
export class RayJobsApi {
  constructor(
    readonly address: string,
    private readonly token: string | undefined,
  ) {}

  get = <T>(path: string) => this.json<T>("GET", path);
  version = () => this.json<{ ray_version: string }>("GET", "/api/version");
  job = (id: string) => this.json<RayJob | undefined>("GET", `/api/jobs/${id}`, undefined, true);
  logs = (id: string) => this.json<{ logs: string }>("GET", `/api/jobs/${id}/logs`);
  stop = (id: string) => this.json<{ stopped: boolean }>("POST", `/api/jobs/${id}/stop`);
  /** A cluster that has just started answers "No available agent … try again later" for a while. */
  async submit(body: SubmitRequest): Promise<{ submission_id: string }> {
    for (let waited = 0; ; waited += 2) {
      try {
        return await this.json<{ submission_id: string }>("POST", "/api/jobs/", body);
      } catch (error) {
        if (!/try again later/.test(messageOf(error)) || waited >= 120) throw error;
        await sleep(2_000);
      }
    }
  }
  nodes = () => this.json<{ data: { summary: NodeSummary[] } }>("GET", "/nodes?view=summary");

  /** A working_dir package (`gcs://_ray_pkg_<hash>.zip`) uploaded the way Ray's SDK does it. */
  async putPackage(name: string, zip: Uint8Array): Promise<void> {
    await this.request("PUT", `/api/packages/gcs/${name}`, zip, "application/octet-stream");
  }

  private async json<T>(method: string, path: string, body?: unknown, missingOk = false): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const answer = await this.request(method, path, text, "application/json", missingOk);
    return (answer === undefined ? undefined : JSON.parse(answer)) as T;
  }

  private async request(
    method: string,
    path: string,
    body: string | Uint8Array | undefined,
    type: string,
    missingOk = false,
  ): Promise<string | undefined> {
    const headers: Record<string, string> = { "content-type": type };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const url = new URL(path, this.address);
    const answer = await http(method, url, headers, body).catch((error: unknown) => {
      throw unreachable(this.address, error);
    });
    const { status, text } = answer;
    if (status === 404 && missingOk) return undefined;
    if (status === 401 || status === 403) throw unauthorized(this.address, Boolean(this.token));
    if (status < 200 || status >= 300) {
      const last = text.trim().split("\n").at(-1) ?? "";
      throw new FailedError(
        "ray-api",
        `the Ray cluster at ${this.address} answered ${method} ${url.pathname} with HTTP ${status}: ${last}`,
      );
    }
    return text;
  }
}

export interface NodeSummary {
  raylet: {
    state: string;
    nodeId: string;
    nodeManagerAddress: string;
    isHeadNode: boolean;
    resourcesTotal: Record<string, number>;
  };
}

const unreachable = (address: string, error: unknown) =>
  new UsageError("ray-unreachable", `cannot reach the Ray cluster at ${address} (${messageOf(error)})`, {
    hint: "check runtime.address: the head node's dashboard address (ray start --head prints it; default port 8265)",
  });

const unauthorized = (address: string, hadToken: boolean) =>
  new UsageError(
    "ray-unauthorized",
    `the Ray cluster at ${address} refused the request (token authentication)`,
    {
      hint: hadToken
        ? "RAY_AUTH_TOKEN (or RAY_AUTH_TOKEN_PATH, ~/.ray/auth_token) holds a token this cluster does not accept"
        : "set RAY_AUTH_TOKEN to the cluster's token (`ray get-auth-token` on the head node prints it)",
    },
  );

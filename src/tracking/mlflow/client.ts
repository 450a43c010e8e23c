import { SinkError } from "../feeder.js";
import { messageOf } from "../../errors/index.js";

/** An answer of the server that is not a success; `code` is MLflow's error_code (RESOURCE_DOES_NOT_EXIST, …). */
export class MlflowError extends SinkError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    // Throttling and server errors pass; a request the server refuses is refused again.
    super(message, status !== 429 && status < 500);
  }
}

/**
 * MLflow's REST API (the `mlflow server` tracking server, /api/2.0/mlflow/…, and its artifact proxy,
 * /api/2.0/mlflow-artifacts/…) with fetch. Credentials come from the environment only, as MLflow's own
 * clients read them: MLFLOW_TRACKING_TOKEN (bearer), or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.
 */
export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(
    readonly uri: string,
    env: NodeJS.ProcessEnv = process.env,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = uri.replace(/\/+$/, "");
    this.authorization = authorization(env);
  }

  get<T>(path: string, query: Record<string, string>): Promise<T> {
    return this.request<T>("GET", `/api/2.0/mlflow/${path}?${new URLSearchParams(query)}`);
  }

  post<T>(path: string, body: object): Promise<T> {
    return this.request<T>("POST", `/api/2.0/mlflow/${path}`, JSON.stringify(body), "application/json");
  }

  /** Uploads one file through the server's artifact proxy; `path` is below mlflow-artifacts:/. */
  putArtifact(path: string, bytes: Uint8Array): Promise<unknown> {
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return this.request(
      "PUT",
      `/api/2.0/mlflow-artifacts/artifacts/${encoded}`,
      bytes,
      "application/octet-stream",
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body?: string | Uint8Array,
    type?: string,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (type) headers["content-type"] = type;
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body ?? null,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SinkError(networkReason(error, this.timeoutMs), false);
    }
    const text = await response.text().catch(() => "");
    if (response.ok) return (text ? JSON.parse(text) : {}) as T;
    const answer = parseError(text);
    const message = `HTTP ${response.status}${answer.code ? ` ${answer.code}` : ""}: ${answer.message ?? text.slice(0, 200)}`;
    throw new MlflowError(hint(response.status, message), response.status, answer.code ?? "");
  }
}

function authorization(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MLFLOW_TRACKING_TOKEN) return `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  const { MLFLOW_TRACKING_USERNAME: user, MLFLOW_TRACKING_PASSWORD: password } = env;
  if (user && password) return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return undefined;
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.message ?? cause?.code ?? messageOf(error);
}

function parseError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    return { code: body.error_code, message: body.message };
  } catch {
    return {};
  }
}

function hint(status: number, message: string): string {
  if (status === 401 || status === 403) {
    return `${message} (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)`;
  }
  return message;
}

import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./render.js";
import { type MetricsSnapshot } from "./snapshot.js";
import { messageOf } from "../errors/index.js";

export interface MetricsServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: metrics stay on this machine unless asked otherwise. */
  host?: string;
  /** Called on every scrape. */
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
}

export interface MetricsServer {
  port: number;
  /** The scrape URL, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics in Prometheus text format; every other path is 404. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => void answer(request, response, options.snapshot));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    port,
    url: `http://${shownHost}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  snapshot: MetricsServerOptions["snapshot"],
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method !== "GET" || path !== "/metrics")
    return send(response, 404, "not found; scrape GET /metrics\n");
  try {
    const body = await renderMetrics(await snapshot());
    send(response, 200, body, METRICS_CONTENT_TYPE);
  } catch (error) {
    // The scraper sees a failed scrape (up == 0); the reason stays short and carries no stack.
    send(response, 500, `cannot collect metrics: ${messageOf(error)}\n`);
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

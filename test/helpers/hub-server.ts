import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { findCommit, type HubCommit, type HubFile, type HubRepo } from "./hub-repos.js";
import { handleUploads, type UploadState } from "./hub-uploads.js";

/**
 * A Hugging Face Hub-compatible HTTP server on 127.0.0.1 — the contract tests' stand-in for the hosted Hub,
 * which cannot be reached here. It answers the paths and headers that `@huggingface/hub` (2.x) and Python's
 * `huggingface_hub` use: repo info with `sha`/`siblings`/`gated`, tree, paths-info, `resolve` (GET and HEAD,
 * `Range`, `ETag`, `X-Repo-Commit`, `X-Linked-Etag`/`X-Linked-Size`), errors with `X-Error-Code`
 * (401 without a token, 403/404 with one), and the upload endpoints (hub-uploads.ts).
 */
export interface HubUser {
  name: string;
  /** Gated repos whose terms this user accepted. */
  accepted: Set<string>;
}

export interface HubFault {
  match: (req: IncomingMessage) => boolean;
  status: number;
  retryAfter?: string;
  times: number;
}

export interface HubServer {
  url: string;
  repos: Map<string, HubRepo>;
  tokens: Map<string, HubUser>;
  /** Every request: method, path and Range header; Authorization is never recorded. */
  requests: { method: string; url: string; range?: string }[];
  /** Body bytes sent by `resolve`. */
  bytesServed: () => number;
  faults: HubFault[];
  /** Bytes per second for `resolve` bodies (undefined: as fast as it goes). */
  throttle?: number;
  /** Paths whose bytes are served altered (a bad mirror): the client must refuse them. */
  corrupt: Set<string>;
  close(): Promise<void>;
}

export async function startHubServer(
  repos: HubRepo[],
  tokens: Record<string, HubUser> = {},
): Promise<HubServer> {
  let served = 0;
  const state: HubServer & UploadState = {
    url: "",
    repos: new Map(repos.map((repo) => [key(repo.type, repo.id), repo])),
    tokens: new Map(Object.entries(tokens)),
    requests: [],
    bytesServed: () => served,
    faults: [],
    corrupt: new Set(),
    lfs: new Map(),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    state.requests.push({ method: req.method ?? "", url: req.url ?? "", range: req.headers.range });
    handle(state, req, res, (n) => (served += n)).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, "Internal", String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export const key = (type: string, id: string) => `${type}:${id}`;

export function fail(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "X-Error-Code": code,
    "X-Error-Message": message,
  });
  res.end(JSON.stringify({ error: message }));
}

export function userOf(state: HubServer, req: IncomingMessage): HubUser | undefined | "invalid" {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  return state.tokens.get(auth.replace(/^Bearer /, "")) ?? "invalid";
}

/** The repo when this caller may see it; otherwise the answer has been sent (401/404 as the Hub does). */
export function visibleRepo(
  state: HubServer,
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  id: string,
): HubRepo | undefined {
  const user = userOf(state, req);
  if (user === "invalid") return void fail(res, 401, "", "Invalid credentials in Authorization header");
  const repo = state.repos.get(key(type, id));
  const owner = id.split("/")[0];
  if (!repo || (repo.private && user?.name !== owner)) {
    const message = "Repository not found";
    return void fail(res, user ? 404 : 401, "RepoNotFound", message);
  }
  return repo;
}

function revisionOf(res: ServerResponse, repo: HubRepo, revision: string): HubCommit | undefined {
  const commit = findCommit(repo, revision);
  if (!commit) fail(res, 404, "RevisionNotFound", `Invalid rev id: ${decodeURIComponent(revision)}`);
  return commit;
}

async function handle(
  state: HubServer & UploadState,
  req: IncomingMessage,
  res: ServerResponse,
  count: (n: number) => void,
) {
  const fault = state.faults.find((f) => f.times > 0 && f.match(req));
  if (fault) {
    fault.times--;
    res.writeHead(fault.status, fault.retryAfter ? { "Retry-After": fault.retryAfter } : {});
    return void res.end("try again later");
  }
  const url = new URL(req.url ?? "/", "http://hub");
  const path = url.pathname;
  if (await handleUploads(state, req, res, path)) return;
  let m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)(?:\/revision\/([^/]+))?$/.exec(path);
  if (m && req.method === "GET")
    return repoInfo({ state, req, res }, m[1]!.slice(0, -1), m[2]!, m[3] ?? "main");
  m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/tree\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (m) {
    const repo = visibleRepo(state, req, res, m[1]!.slice(0, -1), m[2]!);
    const commit = repo && revisionOf(res, repo, m[3]!);
    if (!commit) return;
    const prefix = m[4] ? `${m[4]}/` : "";
    const files = [...commit.files.values()].filter((f) => f.path.startsWith(prefix));
    return json(
      res,
      files.map((f) => entry(f, commit)),
    );
  }
  m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/paths-info\/([^/]+)$/.exec(path);
  if (m && req.method === "POST") {
    const repo = visibleRepo(state, req, res, m[1]!.slice(0, -1), m[2]!);
    const commit = repo && revisionOf(res, repo, m[3]!);
    if (!commit) return;
    const body = JSON.parse(await readBody(req)) as { paths: string[] };
    const found = body.paths.map((p) => commit.files.get(p)).filter((f): f is HubFile => Boolean(f));
    return json(
      res,
      found.map((f) => entry(f, commit)),
    );
  }
  m = /^\/(?:(datasets)\/)?([^/]+\/[^/]+)\/(?:resolve|raw)\/([^/]+)\/(.+)$/.exec(path);
  if (m && (req.method === "GET" || req.method === "HEAD")) {
    const where = {
      type: m[1] ? "dataset" : "model",
      id: m[2]!,
      rev: m[3]!,
      path: decodeURIComponent(m[4]!),
    };
    return resolveFile({ state, req, res }, where, count);
  }
  fail(res, 404, "", `no route for ${req.method} ${path}`);
}

/** One request being answered. */
interface Call {
  state: HubServer;
  req: IncomingMessage;
  res: ServerResponse;
}

function repoInfo({ state, req, res }: Call, type: string, id: string, rev: string) {
  const repo = visibleRepo(state, req, res, type, id);
  const commit = repo && revisionOf(res, repo, rev);
  if (!repo || !commit) return;
  json(res, {
    _id: `id-${repo.id}`,
    id: repo.id,
    sha: commit.sha,
    private: repo.private,
    gated: repo.gated,
    disabled: false,
    downloads: 0,
    likes: 0,
    lastModified: new Date(0).toISOString(),
    tags: repo.license ? [`license:${repo.license}`] : [],
    cardData: repo.license ? { license: repo.license } : {},
    siblings: [...commit.files.keys()].map((rfilename) => ({ rfilename })),
  });
}

function entry(file: HubFile, commit: HubCommit) {
  return {
    type: "file",
    oid: file.oid,
    size: file.size,
    path: file.path,
    ...(file.lfs ? { lfs: { oid: file.lfs, size: file.size, pointerSize: 134 } } : {}),
    lastCommit: { id: commit.sha, title: commit.summary, date: new Date(0).toISOString() },
  };
}

async function resolveFile(
  { state, req, res }: Call,
  where: { type: string; id: string; rev: string; path: string },
  count: (n: number) => void,
) {
  const { type, id, rev, path } = where;
  const repo = visibleRepo(state, req, res, type, id);
  if (!repo) return;
  const user = userOf(state, req) as HubUser | undefined;
  if (repo.gated && !user?.accepted.has(repo.id)) {
    const message = `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
    return fail(res, user ? 403 : 401, "GatedRepo", message);
  }
  const commit = revisionOf(res, repo, rev);
  if (!commit) return;
  const file = commit.files.get(path);
  if (!file) return fail(res, 404, "EntryNotFound", `${path} does not exist on "${rev}"`);
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), file.size - 1) : file.size - 1;
  const headers: Record<string, string | number> = {
    "Content-Type": "application/octet-stream",
    "Accept-Ranges": "bytes",
    ETag: `"${file.lfs ?? file.oid}"`,
    "X-Repo-Commit": commit.sha,
    "Content-Length": Math.max(0, end - start + 1),
  };
  if (file.lfs) Object.assign(headers, { "X-Linked-Etag": `"${file.lfs}"`, "X-Linked-Size": file.size });
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD" || end < start) return void res.end();
  const source = file.diskPath
    ? createReadStream(file.diskPath, { start, end, highWaterMark: 1 << 20 })
    : [file.bytes!.subarray(start, end + 1)];
  const stages: (NodeJS.ReadableStream | Transform | ServerResponse | Buffer[])[] = [source as Buffer[]];
  if (state.corrupt.has(path)) stages.push(flipFirstByte());
  stages.push(meter(count, state.throttle));
  stages.push(res);
  await (pipeline as (...s: unknown[]) => Promise<void>)(...stages).catch(() => res.destroy());
}

function flipFirstByte(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (first && chunk.length > 0)
        chunk = Buffer.concat([Buffer.from([chunk[0]! ^ 0xff]), chunk.subarray(1)]);
      first = false;
      done(null, chunk);
    },
  });
}

/** Counts the bytes sent and, when throttled, paces them in 64 KiB slices. */
function meter(count: (n: number) => void, bytesPerSecond: number | undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!bytesPerSecond) {
        count(chunk.length);
        return done(null, chunk);
      }
      const send = async () => {
        for (let i = 0; i < chunk.length; i += 65536) {
          const slice = chunk.subarray(i, i + 65536);
          await new Promise((r) => setTimeout(r, (slice.length / bytesPerSecond) * 1000));
          count(slice.length);
          this.push(slice);
        }
      };
      send().then(() => done(), done);
    },
  });
}

export function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

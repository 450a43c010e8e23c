import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { addCommit, gitBlobSha, hubFile, makeRepo, type HubFile } from "./hub-repos.js";
import { fail, json, key, userOf, visibleRepo, type HubServer } from "./hub-server.js";

/** LFS objects uploaded but not yet committed, by sha256. */
export interface UploadState {
  lfs: Map<string, Buffer>;
}

type State = HubServer & UploadState;

/**
 * The upload side of the loopback Hub, as `@huggingface/hub`'s `createRepo` and `commit` call it:
 * `POST /api/repos/create`, `POST /api/<type>s/<id>/preupload/<rev>`, the LFS batch API at
 * `/<id>.git/info/lfs/objects/batch` (basic transfer: one PUT per object), and the NDJSON
 * `POST /api/<type>s/<id>/commit/<rev>`. True when the request was one of these.
 */
export async function handleUploads(state: State, req: IncomingMessage, res: ServerResponse, path: string) {
  if (path === "/api/whoami-v2") return whoami(state, req, res);
  if (path === "/api/repos/create" && req.method === "POST") return createRepo(state, req, res);
  let m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/preupload\/([^/]+)$/.exec(path);
  if (m && req.method === "POST") return preupload(state, req, res, m[1]!.slice(0, -1), m[2]!);
  m = /^\/(?:(datasets)\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
  if (m && req.method === "POST") return lfsBatch(state, req, res);
  m = /^\/lfs-upload\/([0-9a-f]{64})$/.exec(path);
  if (m && req.method === "PUT") return lfsPut(state, req, res, m[1]!);
  m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/commit\/([^/]+)$/.exec(path);
  if (m && req.method === "POST") return commit(state, req, res, m[1]!.slice(0, -1), m[2]!);
  return false;
}

function writer(state: State, req: IncomingMessage, res: ServerResponse) {
  const user = userOf(state, req);
  if (!user || user === "invalid")
    return void fail(res, 401, "", "Invalid credentials in Authorization header");
  return user;
}

function whoami(state: State, req: IncomingMessage, res: ServerResponse) {
  const user = writer(state, req, res);
  if (user) json(res, { type: "user", name: user.name, orgs: [], auth: { accessToken: { role: "write" } } });
  return true;
}

async function createRepo(state: State, req: IncomingMessage, res: ServerResponse) {
  if (!writer(state, req, res)) return true;
  const body = JSON.parse((await bytes(req)).toString()) as {
    name: string;
    organization?: string;
    type?: "model" | "dataset";
    visibility?: string;
    private?: boolean;
  };
  const id = `${body.organization}/${body.name}`;
  const type = body.type ?? "model";
  if (state.repos.has(key(type, id))) {
    json(res, { error: "You already created this model repo", url: `${state.url}/${id}` }, 409);
    return true;
  }
  const attributes = hubFile(
    ".gitattributes",
    Buffer.from("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"),
  );
  const repo = makeRepo(type, id, [attributes], {
    private: body.visibility === "private" || body.private === true,
  });
  state.repos.set(key(type, id), repo);
  json(res, { url: `${state.url}/${id}`, name: id, id: `id-${id}` });
  return true;
}

async function preupload(state: State, req: IncomingMessage, res: ServerResponse, type: string, id: string) {
  const repo = visibleRepo(state, req, res, type, id);
  if (!repo) return true;
  const body = JSON.parse((await bytes(req)).toString()) as { files: { path: string; sample: string }[] };
  const head = repo.commits.find((c) => c.sha === repo.refs.get("main"))!;
  const files = body.files.map((file) => {
    const binary = Buffer.from(file.sample, "base64").includes(0);
    const lfs = binary || /\.(safetensors|bin|parquet)$/.test(file.path);
    const remote = head.files.get(file.path);
    return { path: file.path, uploadMode: lfs ? "lfs" : "regular", shouldIgnore: false, oid: remote?.oid };
  });
  json(res, { files, commitOid: head.sha });
  return true;
}

async function lfsBatch(state: State, req: IncomingMessage, res: ServerResponse) {
  if (!writer(state, req, res)) return true;
  const body = JSON.parse((await bytes(req)).toString()) as { objects: { oid: string; size: number }[] };
  const known = (oid: string) =>
    state.lfs.has(oid) ||
    [...state.repos.values()].some((r) =>
      r.commits.some((c) => [...c.files.values()].some((f) => f.lfs === oid)),
    );
  const objects = body.objects.map((o) =>
    known(o.oid) ? o : { ...o, actions: { upload: { href: `${state.url}/lfs-upload/${o.oid}` } } },
  );
  res.writeHead(200, { "Content-Type": "application/vnd.git-lfs+json" });
  res.end(JSON.stringify({ transfer: "basic", objects }));
  return true;
}

async function lfsPut(state: State, req: IncomingMessage, res: ServerResponse, oid: string) {
  const body = await bytes(req);
  if (createHash("sha256").update(body).digest("hex") !== oid) {
    fail(res, 400, "", "sha256 of the uploaded object does not match its oid");
    return true;
  }
  state.lfs.set(oid, body);
  res.writeHead(200).end();
  return true;
}

type Line =
  | { key: "header"; value: { summary: string } }
  | { key: "file"; value: { path: string; content: string; encoding: string } }
  | { key: "lfsFile"; value: { path: string; oid: string; size: number } }
  | { key: "deletedFile"; value: { path: string } };

async function commit(state: State, req: IncomingMessage, res: ServerResponse, type: string, id: string) {
  const repo = visibleRepo(state, req, res, type, id);
  if (!repo || !writer(state, req, res)) return true;
  const lines = (await bytes(req))
    .toString()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
  let summary = "commit";
  const changed: HubFile[] = [];
  const deleted: string[] = [];
  for (const line of lines) {
    if (line.key === "header") summary = line.value.summary;
    else if (line.key === "file")
      changed.push(hubFile(line.value.path, Buffer.from(line.value.content, "base64")));
    else if (line.key === "deletedFile") deleted.push(line.value.path);
    else {
      const content = state.lfs.get(line.value.oid) ?? lfsFromRepos(state, line.value.oid);
      if (!content) {
        fail(res, 422, "", `LFS object ${line.value.oid} was never uploaded`);
        return true;
      }
      changed.push({
        path: line.value.path,
        size: content.length,
        oid: gitBlobSha(content),
        lfs: line.value.oid,
        bytes: content,
      });
    }
  }
  const sha = addCommit(repo, changed, deleted, summary);
  json(res, { success: true, commitOid: sha, commitUrl: `${state.url}/${id}/commit/${sha}` });
  return true;
}

function lfsFromRepos(state: State, oid: string): Buffer | undefined {
  for (const repo of state.repos.values())
    for (const c of repo.commits)
      for (const f of c.files.values()) if (f.lfs === oid && f.bytes) return f.bytes;
  return undefined;
}

async function bytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

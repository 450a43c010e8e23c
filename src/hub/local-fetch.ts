import { createReadStream, existsSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { join } from "node:path";

/**
 * A `fetch` that answers the library's file reads (`resolve`/`raw`, with Range) from a cached snapshot
 * instead of the network, so a model already in the cache is inspected (safetensors headers, config.json)
 * with the library's own parsers and no byte is downloaded. Anything else is not for it.
 */
export function snapshotFetch(snapshot: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const match = /\/(?:resolve|raw)\/[^/]+\/(.+)$/.exec(url.pathname);
    if (!match) throw new Error(`snapshotFetch cannot answer ${url.pathname}`);
    const file = join(snapshot, ...decodeURIComponent(match[1]!).split("/"));
    if (!existsSync(file))
      return new Response("not cached", { status: 404, headers: { "X-Error-Code": "EntryNotFound" } });
    const size = statSync(file).size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(new Headers(init?.headers).get("range") ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    const headers = {
      "Content-Length": String(end - start + 1),
      ETag: '"cached"',
      ...(range && { "Content-Range": `bytes ${start}-${end}/${size}` }),
    };
    if (init?.method === "HEAD") return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream;
    return new Response(body, { status: range ? 206 : 200, headers });
  };
}

import { describe, expect, it } from "vitest";
import { HubHttpError, hubFetch } from "./fetch.js";

const policy = { attempts: 4, baseMs: 1, maxDelayMs: 5, maxElapsedMs: 10_000 };

function scripted(answers: Response[]) {
  const seen: number[] = [];
  const fake = (async () => {
    seen.push(Date.now());
    return answers.shift()!;
  }) as typeof fetch;
  return { fake, seen };
}

describe("hubFetch", () => {
  it("retries 429 and 5xx, waiting at least Retry-After", async () => {
    const { fake, seen } = scripted([
      new Response("busy", { status: 429, headers: { "Retry-After": "1" } }),
      new Response("down", { status: 503 }),
      new Response("ok"),
    ]);
    const response = await hubFetch(policy, fake)("http://hub/x");
    expect(await response.text()).toBe("ok");
    expect(seen).toHaveLength(3);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(990);
  });

  it("turns a 4xx with X-Error-Code into a HubHttpError, and leaves EntryNotFound to the caller", async () => {
    const gated = new Response("no", {
      status: 403,
      headers: { "X-Error-Code": "GatedRepo", "X-Error-Message": "gated" },
    });
    await expect(hubFetch(policy, scripted([gated]).fake)("http://hub/a")).rejects.toMatchObject(
      new HubHttpError(403, "GatedRepo", "http://hub/a", "gated"),
    );
    const missing = new Response("no", { status: 404, headers: { "X-Error-Code": "EntryNotFound" } });
    expect((await hubFetch(policy, scripted([missing]).fake)("http://hub/b")).status).toBe(404);
  });

  it("gives up after the last attempt with the last answer", async () => {
    const answers = Array.from({ length: 4 }, () => new Response("down", { status: 502 }));
    expect((await hubFetch(policy, scripted(answers).fake)("http://hub/c")).status).toBe(502);
  });
});

import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RetryPolicy } from "../retry/index.js";
import { type NotifyEvent, notify } from "./index.js";

const event: NotifyEvent = {
  kind: "done",
  job: "j-7",
  project: "research",
  run: "20260101-120000-lora",
  message: "finished 200 steps in 3 min",
  cost: { value: 0.42, currency: "USD" },
  metrics: { loss: 0.41234, eval_loss: 0.5 },
};
const fast: RetryPolicy = { attempts: 5, baseMs: 10, maxDelayMs: 50, maxElapsedMs: 30_000 };
const SECRET_PATH = "/services/T000/B000/s3cr3tT0ken";

interface Received {
  at: number;
  method: string;
  path: string;
  type: string | undefined;
  body: unknown;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A real webhook receiver on 127.0.0.1 that answers each request with the next scripted reply. */
async function receiver(replies: Reply[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      received.push({
        at: Date.now(),
        method: request.method ?? "",
        path: request.url ?? "",
        type: request.headers["content-type"],
        body: JSON.parse(text),
      });
      const reply = replies[Math.min(received.length, replies.length) - 1]!;
      if (reply === "hang") return;
      response.writeHead(reply.status, reply.headers).end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SECRET_PATH}?token=x`, received };
}

describe("notify", () => {
  it("retries a 503, waits as long as a 429's Retry-After asks, and stops at the 200", async () => {
    const { url, received } = await receiver([
      { status: 503, body: "busy" },
      { status: 429, headers: { "retry-after": "1" }, body: "rate_limited" },
      { status: 200, body: "ok" },
    ]);
    const logged: string[] = [];
    const result = await notify(url, event, { policy: fast, log: (line) => logged.push(line) });

    expect(result).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(received).toHaveLength(3);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(950);
    for (const request of received) {
      expect([request.method, request.path, request.type]).toEqual([
        "POST",
        `${SECRET_PATH}?token=x`,
        "application/json",
      ]);
      expect(request.body).toEqual(received[0]!.body);
    }
    expect(received[0]!.body).toEqual({
      text: ":white_check_mark: job j-7 done (project research): finished 200 steps in 3 min",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: "*:white_check_mark: job j-7 done* · project research\nfinished 200 steps in 3 min",
          },
        },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Run*\n20260101-120000-lora" },
            { type: "mrkdwn", text: "*Cost*\n0.42 USD" },
            { type: "mrkdwn", text: "*loss*\n0.4123" },
            { type: "mrkdwn", text: "*eval_loss*\n0.5" },
          ],
        },
      ],
      pipeline: event,
    });
    const host = new URL(url).host;
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(
      new RegExp(`^webhook http://${host}: HTTP 503 from http://${host}: busy; retry 1 in`),
    );
    expect(logged[1]).toBe(
      `webhook http://${host}: HTTP 429 from http://${host}: rate_limited; retry 2 in 1 s`,
    );
    expect(logged.join("\n")).not.toMatch(/s3cr3t|token=/);
  });

  it("does not retry a 400, and says what the server answered", async () => {
    const { url, received } = await receiver([{ status: 400, body: "invalid_payload" }]);
    const result = await notify(
      url,
      { ...event, kind: "failed", message: "loss went NaN" },
      { policy: fast },
    );
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      status: 400,
      error: `HTTP 400 from http://${new URL(url).host}: invalid_payload`,
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({
      text: ":x: job j-7 failed (project research): loss went NaN",
      pipeline: { kind: "failed", job: "j-7", message: "loss went NaN" },
    });
  });

  it("gives up after the policy's attempts on a server that keeps failing", async () => {
    const { url, received } = await receiver([{ status: 502 }]);
    const result = await notify(url, event, { policy: { ...fast, attempts: 3 } });
    expect(result).toMatchObject({ ok: false, attempts: 3, status: 502 });
    expect(result.error).toBe(`HTTP 502 from http://${new URL(url).host} (gave up after 3 attempts)`);
    expect(received).toHaveLength(3);
  });

  it("gives up at once when Retry-After asks for longer than the retry window", async () => {
    const { url, received } = await receiver([{ status: 429, headers: { "retry-after": "3600" } }]);
    const result = await notify(url, event, { policy: fast });
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 429 });
    expect(result.error).toContain("gave up: the server asked to wait 3600 s, past the 30 s retry window");
    expect(received).toHaveLength(1);
  });

  it("retries an attempt that times out, and one that cannot connect, without showing the URL's path", async () => {
    const hanging = await receiver(["hang"]);
    const slow = await notify(hanging.url, event, { policy: { ...fast, attempts: 2 }, timeoutMs: 100 });
    expect(slow).toEqual({
      ok: false,
      attempts: 2,
      error: `http://${new URL(hanging.url).host} did not answer within 0.1 s (gave up after 2 attempts)`,
    });
    expect(hanging.received).toHaveLength(2);

    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const refused = await notify(hanging.url, event, { policy: { ...fast, attempts: 3 } });
    expect(refused).toMatchObject({ ok: false, attempts: 3 });
    expect(refused.error).toMatch(/cannot be reached \(ECONNREFUSED\) \(gave up after 3 attempts\)$/);
    expect(refused.error).not.toMatch(/s3cr3t|token/);
  });

  it("never throws: a bad URL or a failing fetch comes back as a result", async () => {
    expect(await notify("not a url /s3cr3t", event)).toEqual({
      ok: false,
      attempts: 0,
      error: "the webhook is not an http(s):// URL",
    });
    const url = `https://hooks.example.test${SECRET_PATH}`;
    const result = await notify(url, event, {
      policy: { ...fast, attempts: 2 },
      fetch: () => Promise.reject(new Error(`boom at ${url}`)),
    });
    expect(result).toEqual({
      ok: false,
      attempts: 2,
      error:
        "https://hooks.example.test cannot be reached (boom at https://hooks.example.test) (gave up after 2 attempts)",
    });
  });
});

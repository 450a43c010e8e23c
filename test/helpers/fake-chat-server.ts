import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (as TGI, vLLM and
 * llama.cpp serve it), for contract tests of the LLM judge. Each request is recorded and answered by
 * the test's `answer` function.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatBody;
}

export interface ChatBody {
  model?: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown> } };
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of `body`, to play a broken server. */
  raw?: string;
  /** Wait this long before answering (to observe concurrency, or to time out the client). */
  delayMs?: number;
}

export interface FakeChatServer {
  url: string;
  requests: RecordedRequest[];
  /** Most requests that were being answered at the same moment. */
  peakInFlight: number;
  close(): Promise<void>;
}

export async function startFakeChatServer(
  answer: (request: RecordedRequest, n: number) => Answer,
): Promise<FakeChatServer> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const state = { peakInFlight: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody,
      };
      requests.push(request);
      const reply = answer(request, requests.length);
      state.peakInFlight = Math.max(state.peakInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        const json = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(json);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get peakInFlight() {
      return state.peakInFlight;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A successful chat completion whose message is `content`, shaped as OpenAI-compatible servers send it. */
export function chatCompletion(content: string): Answer {
  return {
    body: {
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "judge",
      system_fingerprint: "fake",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

export const verdict = (score: number, reason = "ok") => chatCompletion(JSON.stringify({ score, reason }));

import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
} from "@huggingface/inference";
import type { JudgeOptions } from "./judge-options.js";
import { judgeMessages, responseFormat } from "./judge-prompt.js";
import { parseRetryAfter } from "../../retry/index.js";
import { JudgeCallError } from "./judge-retry.js";
import type { ScorerInput } from "../types.js";

/** One request to the judge: its reply text, or undefined when the reply is not a readable chat completion. */
export type JudgeCall = (input: ScorerInput) => Promise<string | undefined>;

/**
 * The only module that talks to `@huggingface/inference`. Its own 503 retry is turned off (it retries
 * without limit or pause); retries live in judge-retry.ts. Errors are rebuilt as JudgeCallErrors with no
 * `cause`, because the client's errors carry the request headers, bearer token included.
 */
export function makeJudgeCall(options: JudgeOptions, token: string | undefined): JudgeCall {
  const client = new InferenceClient(token, options.endpoint ? { endpointUrl: options.endpoint } : {});
  const target = describeTarget(options);
  return async (input) => {
    const seen: Seen = { status: undefined, retryAfter: null };
    const recordingFetch: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      seen.status = response.status;
      seen.retryAfter = response.headers.get("retry-after");
      return response;
    };
    try {
      const reply = await client.chatCompletion(
        {
          model: options.model,
          // "auto" goes to the router directly; naming it makes the client look the model up first.
          provider: options.provider === "auto" ? undefined : options.provider,
          messages: judgeMessages(options.rubric, input),
          temperature: options.temperature,
          max_tokens: options.max_tokens,
          response_format: responseFormat(options.response_format),
        },
        {
          fetch: recordingFetch,
          retry_on_error: false,
          signal: AbortSignal.timeout(options.timeout_s * 1000),
        },
      );
      const content: unknown = reply.choices?.[0]?.message?.content;
      return typeof content === "string" ? content : undefined;
    } catch (error) {
      if (error instanceof InferenceClientProviderOutputError) return undefined;
      if (error instanceof SyntaxError && seen.status !== undefined && seen.status < 400) return undefined;
      throw toCallError(error, { target, seen, timeoutS: options.timeout_s, token });
    }
  };
}

/** Names where the judge lives, for messages. Never includes the token or URL credentials. */
export function describeTarget(options: Pick<JudgeOptions, "endpoint" | "provider" | "model">): string {
  if (options.endpoint) {
    const url = new URL(options.endpoint);
    url.username = "";
    url.password = "";
    return `endpoint ${url.href.replace(/\/$/, "")}`;
  }
  return `Hugging Face Inference Providers (provider ${options.provider ?? "auto"}, model ${options.model})`;
}

/** What the last response looked like, read before the client parses (or fails to parse) its body. */
interface Seen {
  status: number | undefined;
  retryAfter: string | null;
}

interface CallContext {
  target: string;
  seen: Seen;
  timeoutS: number;
  token: string | undefined;
}

function toCallError(error: unknown, { target, seen, timeoutS, token }: CallContext): unknown {
  const redact = (text: string) => (token ? text.replaceAll(token, "[redacted]") : text);
  if (error instanceof InferenceClientProviderApiError || error instanceof InferenceClientHubApiError) {
    const status = error.httpResponse.status;
    const detail = redact(error.message.replace(/^Failed to perform inference: /, "")).slice(0, 300);
    return httpError(target, status, detail, seen.retryAfter);
  }
  // The client reads error bodies as JSON when so labelled; an empty or broken one throws a SyntaxError.
  if (error instanceof SyntaxError && seen.status !== undefined && seen.status >= 400) {
    return httpError(target, seen.status, "unreadable error body", seen.retryAfter);
  }
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new JudgeCallError(`${target} did not answer within ${timeoutS} s`, true);
  }
  if (error instanceof TypeError && error.message === "fetch failed") {
    const code = (error.cause as { code?: string } | undefined)?.code;
    return new JudgeCallError(`${target} could not be reached${code ? ` (${code})` : ""}`, true);
  }
  if (error instanceof InferenceClientInputError || error instanceof InferenceClientRoutingError) {
    return new JudgeCallError(`${target}: ${redact(error.message)}`, false);
  }
  return error; // Anything else is our bug, reported as such.
}

function httpError(target: string, status: number, detail: string, retryAfter: string | null) {
  const retryable = status === 429 || status >= 500;
  return new JudgeCallError(
    `${target} answered HTTP ${status}: ${detail}`,
    retryable,
    status,
    parseRetryAfter(retryAfter),
  );
}

import { readFile } from "node:fs/promises";
import { FailedError, messageOf } from "../errors/index.js";

/** One case where the served model and the pipeline's own generation with the adapter differ. */
export interface ServedDisagreement {
  index: number;
  prompt: string;
  pipeline: string;
  served: string;
}

/** Serving parity of one suite: how often the endpoint's greedy output equals the pipeline's own. */
export interface ServingParity {
  endpoint: string;
  cases: number;
  agreement: number;
  disagreements: ServedDisagreement[];
}

interface ScoredRow {
  index: number;
  prompt: string;
  adapter: { output: string };
}

/**
 * Sends each case's prompt — the exact text the pipeline generated from, its template applied — to an
 * OpenAI-compatible `/v1/completions` (greedy, the suite's max_new_tokens), so the server applies no chat
 * template of its own, and compares the answer with the pipeline's generation with the adapter.
 */
export async function servingParity(
  generationsFile: string,
  endpoint: { url: string; model: string; maxTokens: number },
): Promise<ServingParity> {
  const rows = (await readFile(generationsFile, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ScoredRow);
  const disagreements: ServedDisagreement[] = [];
  for (const row of rows) {
    const served = await complete(endpoint, row.prompt);
    if (served.trim() !== row.adapter.output.trim())
      disagreements.push({ index: row.index, prompt: row.prompt, pipeline: row.adapter.output, served });
  }
  const agreement = rows.length === 0 ? 1 : 1 - disagreements.length / rows.length;
  return { endpoint: endpoint.url, cases: rows.length, agreement, disagreements };
}

// Plain fetch: /v1/completions is one POST, and @huggingface/inference (the judge's client) speaks chat only.
async function complete(endpoint: { url: string; model: string; maxTokens: number }, prompt: string) {
  const url = `${endpoint.url.replace(/\/+$/, "")}/v1/completions`;
  const body = {
    model: endpoint.model,
    prompt,
    max_tokens: endpoint.maxTokens,
    temperature: 0,
    stream: false,
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new FailedError(
      "endpoint-unreachable",
      `${url} cannot be reached (${((error as Error).cause as Error | undefined)?.message ?? messageOf(error)})`,
      {
        hint: "start the server first (e.g. transformers serve --port N <merged dir>), or check --endpoint",
      },
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new FailedError("endpoint-error", `${url} answered ${response.status}: ${text.slice(0, 300)}`, {
      hint: "check --served-model (the model name the server knows) and that it serves /v1/completions",
    });
  const answer = JSON.parse(text) as { choices?: { text?: string }[] };
  const output = answer.choices?.[0]?.text;
  if (typeof output !== "string")
    throw new FailedError("endpoint-error", `${url} answered without choices[0].text: ${text.slice(0, 300)}`);
  return output;
}

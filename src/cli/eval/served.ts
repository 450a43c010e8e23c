import { UsageError } from "../../errors/index.js";
import { type ServingParity, type SuiteResult, servingParity } from "../../eval/index.js";

export interface ServedOptions {
  url: string;
  model: string;
  minAgreement: number;
}

/** One suite's serving parity and whether it met --min-agreement. */
export type ServedSuite = ServingParity & { suite: string; passed: boolean };

/** --endpoint, --served-model and --min-agreement, checked before any model loads. */
export function servedOptions(options: {
  endpoint?: string;
  servedModel?: string;
  minAgreement?: string;
}): ServedOptions | undefined {
  if (!options.endpoint) return undefined;
  if (!/^https?:\/\//.test(options.endpoint))
    throw new UsageError("invalid-endpoint", `--endpoint ${options.endpoint}: expected an http(s):// URL`);
  if (!options.servedModel)
    throw new UsageError(
      "missing-served-model",
      "--endpoint needs --served-model, the model name the server knows",
      {
        hint: "for `transformers serve <dir>` it is that directory as given to the server",
      },
    );
  const minAgreement = Number(options.minAgreement ?? "1");
  if (!(minAgreement >= 0 && minAgreement <= 1))
    throw new UsageError("invalid-min-agreement", `--min-agreement ${options.minAgreement}: expected 0 to 1`);
  return { url: options.endpoint, model: options.servedModel, minAgreement };
}

export async function checkServing(
  results: SuiteResult[],
  suites: { name: string; generate: { max_new_tokens?: number } }[],
  served: ServedOptions,
): Promise<ServedSuite[]> {
  const checked: ServedSuite[] = [];
  for (const result of results) {
    const suite = suites.find((s) => s.name === result.name);
    process.stderr.write(`› suite ${result.name}: the same prompts to ${served.url}\n`);
    const parity = await servingParity(result.generationsFile, {
      url: served.url,
      model: served.model,
      maxTokens: suite?.generate.max_new_tokens ?? 128,
    });
    checked.push({ suite: result.name, ...parity, passed: parity.agreement >= served.minAgreement });
  }
  return checked;
}

export function servingLines(serving: ServedSuite[]): string {
  return serving
    .map((s) => {
      const share = `${(s.agreement * 100).toFixed(1)} % of ${s.cases} cases`;
      const first = s.disagreements[0];
      const example = first
        ? `; first difference, case ${first.index}: pipeline ${JSON.stringify(first.pipeline)}, served ${JSON.stringify(first.served)}`
        : "";
      return `serving parity ${s.suite}: ${s.passed ? "ok" : "FAILED"}, the served model agrees with the pipeline's generations on ${share}${example}\n`;
    })
    .join("");
}

import { PROVIDERS_OR_POLICIES } from "@huggingface/inference";
import { z } from "zod";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Options of the `llm_judge` scorer, as written in a suite file. The token is never an option: the suite
 * names the environment variable that holds it (`token_env`), so it stays out of files, argv and logs.
 */
export const judgeOptions = z
  .strictObject({
    rubric: z.string().trim().min(1).describe("What the judge grades against; goes in the system prompt."),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "OpenAI-compatible base URL (TGI, vLLM, llama.cpp); omit to use Hugging Face Inference Providers.",
      ),
    provider: z
      .enum(PROVIDERS_OR_POLICIES)
      .optional()
      .describe("Hugging Face Inference Provider (default: auto); only without `endpoint`."),
    model: z.string().trim().min(1).optional().describe("Judge model id; required without `endpoint`."),
    token_env: z
      .string()
      .regex(ENV_NAME, "expected an environment variable name, e.g. HF_TOKEN")
      .default("HF_TOKEN"),
    max_retries: z
      .int()
      .min(0)
      .max(10)
      .default(4)
      .describe("Retries on 429, 5xx, timeouts and network errors."),
    timeout_s: z.number().positive().max(600).default(60).describe("Per request."),
    temperature: z.number().min(0).max(2).default(0),
    max_tokens: z.int().min(16).max(8192).default(512),
    concurrency: z.int().min(1).max(32).default(4).describe("Requests in flight at once, per suite."),
    response_format: z
      .enum(["json_schema", "json_object", "none"])
      .default("json_schema")
      .describe("Structured output requested from the server; `none` for servers that reject it."),
  })
  .superRefine((options, ctx) => {
    if (options.endpoint && options.provider) {
      ctx.addIssue({
        code: "custom",
        path: ["provider"],
        message:
          "`provider` applies to Hugging Face Inference Providers only; remove it or remove `endpoint`",
      });
    }
    // @huggingface/inference reads a model named like a path or URL as a model URL and refuses it ("Model URLs
    // are no longer supported"), so a server that names its model by its path (vllm serve /models/x,
    // transformers serve /dir) cannot be asked through it: say so here, not on the first case.
    if (options.model && /^(\/|https?:)/.test(options.model)) {
      ctx.addIssue({
        code: "custom",
        path: ["model"],
        message:
          `model "${options.model}" starts like a path or URL, which the inference client refuses; serve the ` +
          "judge under a plain name (vllm serve … --served-model-name judge; transformers serve with a relative " +
          "directory) and give that name",
      });
    }
    if (!options.endpoint && !options.model) {
      ctx.addIssue({
        code: "custom",
        path: ["model"],
        message: "a judge `model` is required when no `endpoint` is given",
      });
    }
  });

export type JudgeOptions = z.infer<typeof judgeOptions>;

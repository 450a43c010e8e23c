import type { chatCompletion } from "@huggingface/inference";
import type { ScorerInput } from "../types.js";
import type { JudgeOptions } from "./judge-options.js";
import { verdictJsonSchema } from "./judge-verdict.js";

type ChatArgs = Parameters<typeof chatCompletion>[0];
type Messages = ChatArgs["messages"];

/** The rubric goes in the system prompt; the case to grade goes in the user message. */
export function judgeMessages(rubric: string, input: ScorerInput): Messages {
  const system = [
    "You are a strict, impartial grader. Grade the response against the rubric below.",
    'Answer with one JSON object and nothing else: {"score": <integer 1-10>, "reason": "<one or two sentences>"}.',
    "1 means the response fails the rubric entirely, 10 means it meets it fully.",
    "",
    "Rubric:",
    rubric,
  ].join("\n");
  const user = [
    "## Prompt",
    input.prompt,
    "",
    "## Reference answer",
    input.reference.trim() === "" ? "(none given)" : input.reference,
    "",
    "## Response to grade",
    input.output,
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

export function responseFormat(
  kind: JudgeOptions["response_format"],
): ChatArgs["response_format"] | undefined {
  if (kind === "none") return undefined;
  if (kind === "json_object") return { type: "json_object" };
  return {
    type: "json_schema",
    json_schema: { name: "verdict", schema: verdictJsonSchema, strict: true },
  };
}

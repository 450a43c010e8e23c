import { isPipelineError } from "../../errors/index.js";
import type { Message } from "../types.js";
import { loadTemplate } from "./load-template.js";
import { readModelDir } from "./model-dir.js";
import type { TemplateName } from "./template.js";

export interface TemplateChoice {
  name: Extract<TemplateName, "model" | "chatml">;
  /** Why, in words for the run's output: `the base model's own chat template (…/chat_template.jinja)`. */
  reason: string;
}

// A system turn, a question and an answer: what a template must render, each rendering a prefix of the next.
const PROBE: Message[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello!" },
];

/**
 * `template: auto` (a dataset entry without `template`): the base model's own chat template when it has one
 * that can mark trained spans, so training sees the text inference will; else chatml.
 */
export async function chooseTemplate(modelDir: string | undefined): Promise<TemplateChoice> {
  if (modelDir === undefined)
    return {
      name: "chatml",
      reason: "chatml: the base model is not a local directory to read a chat template from",
    };
  const model = await readModelDir(modelDir).catch(() => undefined);
  if (!model?.chatTemplate) return { name: "chatml", reason: `chatml: ${modelDir} has no chat template` };
  try {
    (await loadTemplate("model", { modelDir })).chat(PROBE);
  } catch (error) {
    if (!isPipelineError(error)) throw error;
    return {
      name: "chatml",
      reason: `chatml: the base model's chat template cannot mark trained spans (${error.message})`,
    };
  }
  return { name: "model", reason: `the base model's own chat template (${model.chatTemplate.origin})` };
}

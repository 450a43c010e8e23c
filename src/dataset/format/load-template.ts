import { UsageError } from "../../errors/index.js";
import { alpaca } from "./alpaca.js";
import { chatml } from "./chatml.js";
import { modelTemplate } from "./jinja-template.js";
import { llama3 } from "./llama3.js";
import { readModelDir, type ModelDir } from "./model-dir.js";
import { TEMPLATE_NAMES, type SpecialTokens, type Template, type TemplateName } from "./template.js";

/**
 * Resolves `--template NAME [--model DIR]`. Without a model the built-in templates use their own
 * tokens (alpaca: eos `</s>`; chatml: none; llama3: `<|begin_of_text|>`/`<|eot_id|>`); with one, the
 * tokens of its tokenizer_config.json. `model` needs the directory and its chat template.
 */
export async function loadTemplate(name: string, options: { modelDir?: string } = {}): Promise<Template> {
  if (!isTemplateName(name)) {
    throw new UsageError("unknown-template", `unknown template "${name}"`, {
      hint: `use one of: ${TEMPLATE_NAMES.join(", ")}`,
    });
  }
  if (name === "model" && !options.modelDir) {
    throw new UsageError("model-required", "--template model needs --model <dir>", {
      hint: "point --model at the base model's directory (the one holding tokenizer_config.json)",
    });
  }
  const model = options.modelDir === undefined ? undefined : await readModelDir(options.modelDir);
  return withOrigin(build(name, model), model);
}

function build(name: TemplateName, model: ModelDir | undefined): Template {
  switch (name) {
    case "alpaca":
      return alpaca(model && tokens(model, alpaca().tokens));
    case "chatml":
      return chatml(model && tokens(model, chatml().tokens));
    case "llama3":
      return llama3(model && tokens(model, llama3().tokens));
    case "model":
      return fromModel(model!);
  }
}

function fromModel(model: ModelDir): Template {
  if (!model.chatTemplate) {
    throw new UsageError("no-chat-template", `${model.dir} has no chat template`, {
      hint:
        "looked for chat_template.jinja, chat_template.json and chat_template in tokenizer_config.json; " +
        "a base model without one needs --template alpaca, chatml or llama3",
    });
  }
  return modelTemplate({ ...model.chatTemplate, tokens: model.tokens, variables: model.variables });
}

// A model without an eos token keeps the template's own: the trained span must end in something.
function tokens(model: ModelDir, defaults: SpecialTokens): SpecialTokens {
  return { bos: model.tokens.bos, eos: model.tokens.eos || defaults.eos };
}

function withOrigin(template: Template, model: ModelDir | undefined): Template {
  return model && template.origin === undefined ? { ...template, origin: model.configPath } : template;
}

export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

import type { ListFileEntry } from "@huggingface/hub";

// Everything transformers reads to load a causal LM and its tokenizer (and the chat template), by name.
const NEEDED = new Set([
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "tokenizer.model",
  "special_tokens_map.json",
  "added_tokens.json",
  "vocab.json",
  "merges.txt",
  "chat_template.jinja",
  "chat_template.json",
]);

/**
 * The files training needs from a model repo: config, tokenizer files and chat template, and the weights
 * once — `*.safetensors` with their index, or only when there are none the `pytorch_model*.bin` files.
 * Subfolders (`original/` checkpoints, ONNX, GGUF exports) and duplicate weight formats are left out.
 */
export function trainingFiles(files: ListFileEntry[]): ListFileEntry[] {
  const top = files.filter((file) => !file.path.includes("/"));
  const safetensors = top.filter(
    (f) => f.path.endsWith(".safetensors") || f.path.endsWith(".safetensors.index.json"),
  );
  const weights = safetensors.length
    ? safetensors
    : top.filter(
        (f) =>
          /^pytorch_model.*\.bin(\.index\.json)?$/.test(f.path) || f.path === "pytorch_model.bin.index.json",
      );
  return [...top.filter((file) => NEEDED.has(file.path)), ...weights];
}

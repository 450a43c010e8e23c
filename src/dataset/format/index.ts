/**
 * Dataset formatting: canonical records → prompt/chat template → deterministic train/eval split.
 *
 * Output directory (`pipeline dataset format … -o DIR`):
 *
 * - `train.jsonl`, `eval.jsonl` — one example per line. SFT rows (chat and text records):
 *
 *       {"segments":[{"text":"<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n","train":false},
 *                    {"text":"Hello!<|im_end|>","train":true},{"text":"\n","train":false}]}
 *
 *   Concatenating the texts gives the exact string the model sees, special tokens written as text
 *   (tokenize it with the model's tokenizer *without* adding special tokens again). The loss is computed
 *   on `train: true` spans only: assistant turns plus their end-of-turn marker or eos, so the model
 *   learns to stop. Neighbouring segments never share a flag; no segment is empty. A text record is one
 *   trained segment (text + eos), after an untrained bos when the template has one.
 *
 *   Preference files give rows `{"prompt": string, "chosen": string, "rejected": string}` instead:
 *   `prompt` is the rendered conversation up to the first trained span (generation prompt included),
 *   `chosen`/`rejected` the rest of each rendering (DPO trains on them). KTO files (`messages` + a boolean
 *   `label`) give `{"prompt": string, "completion": string, "label": boolean}` the same way.
 *
 *   eval.jsonl is always written; it is empty with `--eval-split 0`.
 * - `manifest.json` (written last; see FormatManifest) — source path and sha256, detected format,
 *   template and its tokens, split fraction and seed, counts, sha256 of each file and a `content_hash`.
 *   A directory whose manifest has the same content hash and intact files is reused as it is.
 */
export { alpaca, ALPACA_PREAMBLE } from "./alpaca.js";
export { chatml } from "./chatml.js";
export { llama3 } from "./llama3.js";
export { modelTemplate, type ChatTemplateSource } from "./jinja-template.js";
export { loadTemplate, isTemplateName } from "./load-template.js";
export { chooseTemplate, type TemplateChoice } from "./auto-template.js";
export { readModelDir, type ModelDir } from "./model-dir.js";
export { TEMPLATE_NAMES, type Template, type TemplateName, type SpecialTokens } from "./template.js";
export {
  formatRecord,
  type FormattedRow,
  type PreferenceExample,
  type FeedbackExample,
  type ReasoningMode,
} from "./render-record.js";
export { isEval } from "./split.js";
export { formatDataset, type SourceRow, type FormatDatasetOptions } from "./format-dataset.js";
export {
  formatFile,
  type DatasetReader,
  type DatasetFormat,
  type FormatFileOptions,
  type FormatOutcome,
  type RowError,
} from "./format-file.js";
export type { FormatManifest } from "./manifest.js";
export { contentHash, findReusable, FORMATTER_VERSION, MANIFEST_FILE } from "./reuse.js";
export { parseEvalSplit, parseSeed } from "./options.js";
export { describeOutcome } from "./summary.js";

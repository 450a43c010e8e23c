/** Text normalization and tokenization shared by the text-overlap scorers. */

export interface NormalizeOptions {
  lowercase?: boolean;
  stripPunctuation?: boolean;
  collapseWhitespace?: boolean;
}

const PUNCTUATION = /[\p{P}\p{S}]/gu;

/** Trims, then optionally lower-cases, drops punctuation and symbols, and collapses whitespace. */
export function normalizeText(text: string, options: NormalizeOptions): string {
  let out = options.lowercase ? text.toLowerCase() : text;
  if (options.stripPunctuation) out = out.replace(PUNCTUATION, "");
  if (options.collapseWhitespace) out = out.replace(/\s+/g, " ");
  return out.trim();
}

/**
 * ROUGE-L's tokens: lower-cased runs of letters and digits (Unicode-aware). Whitespace and every
 * punctuation mark or symbol separate tokens and are dropped, so `"Hello, world!"` → `hello`, `world`
 * and `it's` → `it`, `s` (as the reference `rouge-score` package's default tokenizer does).
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * SQuAD's answer normalization: lower-case, drop punctuation, drop the articles a/an/the, collapse
 * whitespace; the tokens are what remains split on whitespace.
 */
export function squadTokens(text: string): string[] {
  const cleaned = text
    .toLowerCase()
    .replace(PUNCTUATION, "")
    .replace(/\b(a|an|the)\b/g, " ");
  return cleaned.split(/\s+/).filter(Boolean);
}

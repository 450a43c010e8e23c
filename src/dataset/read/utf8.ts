/** Byte offset of the first invalid UTF-8 sequence, or -1. Only run on lines that failed the fast check. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    for (let k = 1; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong 3/4-byte forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    const second = bytes[i + 1] ?? 0;
    if (b === 0xe0 && second < 0xa0) return i;
    if (b === 0xed && second >= 0xa0) return i;
    if (b === 0xf0 && second < 0x90) return i;
    if (b === 0xf4 && second >= 0x90) return i;
    i += size;
  }
  return -1;
}

// C0 controls other than whitespace: invisible, and they confuse tokenizers.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0E-\x1F]/;
// Form feed and vertical tab are whitespace, but in text data they are usually a mangled escape
// (a LaTeX `\frac` written into JSON as `\f` + `rac`): worth a warning, not a rejection.
// eslint-disable-next-line no-control-regex -- as above
const ODD_WHITESPACE = /[\x0B\x0C]/;

/** The first control character in `text` as `U+001B at character 12`, or undefined. */
export function findControlCharacter(text: string, soft = false): string | undefined {
  const match = (soft ? ODD_WHITESPACE : CONTROL).exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at character ${match.index + 1}`;
}

/**
 * Whether a row's JSON text may decode to a control character: raw ones make JSON.parse fail, so only
 * escapes can (`\u0001`, `\b`, `\f`). One native scan from backslash to backslash instead of a look at
 * every decoded string.
 */
export function mayHoldControlEscape(json: string): boolean {
  for (let i = json.indexOf("\\"); i >= 0; i = json.indexOf("\\", i + 2)) {
    const next = json.charCodeAt(i + 1);
    if (next === 0x62 || next === 0x66) return true;
    if (next === 0x75 && json.startsWith("00", i + 2) && (json[i + 4] === "0" || json[i + 4] === "1"))
      return true;
  }
  return false;
}

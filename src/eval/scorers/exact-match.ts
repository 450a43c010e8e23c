/** Exact match after the usual light normalization: surrounding whitespace, and optionally case. */
export function exactMatch(
  output: string,
  reference: string,
  options: { ignoreCase?: boolean } = {},
): number {
  const norm = (text: string) => (options.ignoreCase ? text.trim().toLowerCase() : text.trim());
  return norm(output) === norm(reference) ? 1 : 0;
}

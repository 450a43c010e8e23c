/** A webhook URL as it may be shown: scheme and host only; the path is the secret. */
export function redactUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return "(a webhook URL that cannot be parsed)";
  }
}

/** Removes every spelling of the URL, and its secret path, from text about to be returned or logged. */
export function scrub(text: string, url: string): string {
  const shown = redactUrl(url);
  const secrets = [url];
  try {
    const parsed = new URL(url);
    secrets.push(parsed.href, `${parsed.pathname}${parsed.search}`);
  } catch {
    // Not a URL: only the text as given can appear.
  }
  let result = text;
  for (const secret of secrets.filter((s) => s.length > 1).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(secret.startsWith("/") ? "/…" : shown);
  }
  return result;
}

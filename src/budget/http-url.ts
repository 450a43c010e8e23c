/** Whether text is an absolute http(s) URL, the only kind a webhook can be. */
export function isHttpUrl(text: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** What a secret is replaced with wherever it would be shown, logged or sent. */
export const REDACTED = "[redacted]";

// Names of keys and environment variables that hold secrets: HF_TOKEN, AWS_SECRET_ACCESS_KEY, WANDB_API_KEY,
// MLFLOW_TRACKING_PASSWORD, a webhook URL… A whole word of the name, so max_new_tokens is not one.
const SECRET_NAME =
  /(^|[_.-])(token|secret|password|passwd|api_?key|access_?key|private_?key|credentials?|webhook|auth)($|[_.-])/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The values of the environment's secret-named variables (short ones would match too much to be useful). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value!);
}

/**
 * Text with every known secret value replaced, and the credentials of any URL in it (user:password@, a
 * query string) taken out; longest secrets first, so one that contains another goes whole.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED);
  }
  return redactUrlCredentials(result);
}

// scheme://user:password@host…, scheme://…?query — the query of a URL often carries a token.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi;
const QUERY = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED}@`).replace(QUERY, `$1?${REDACTED}`);
}

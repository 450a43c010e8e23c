/** What a secret is replaced with wherever it would be shown, logged or sent. */
export const REDACTED = "[redacted]";

// Names of keys and environment variables that hold secrets: HF_TOKEN, AWS_SECRET_ACCESS_KEY, WANDB_API_KEY,
// MLFLOW_TRACKING_PASSWORD, a webhook URL… A whole word of the name, so max_new_tokens is not one.
const SECRET_NAME =
  /(^|[_.-])(token|secret|password|passwd|api_?key|access_?key|private_?key|credentials?|webhook|auth)($|[_.-])/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The environment's secret-named variables, [name, value] (short values would match too much to be useful). */
function secretEntries(env: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(env).filter(
    (entry): entry is [string, string] => isSecretName(entry[0]) && (entry[1]?.length ?? 0) >= 6,
  );
}

/** The values of the environment's secret-named variables. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return secretEntries(env).map(([, value]) => value);
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

/**
 * Text (a config written back as YAML) with each secret-named environment variable's value put back as the
 * `${NAME}` reference it came from: the file keeps no secret, and loading it again in the same environment
 * gives the same config (a resume interpolates it as the first run did). Longest values first.
 */
export function withEnvReferences(text: string, env: NodeJS.ProcessEnv = process.env): string {
  // An access key's *ID* names it without granting anything (AWS_ACCESS_KEY_ID): left as it is, so a
  // value that is also a bucket name, say, is not turned into a reference.
  const secrets = secretEntries(env)
    .filter(([name]) => !/_ID$/i.test(name))
    .sort((a, b) => b[1].length - a[1].length);
  let result = text;
  for (const [name, value] of secrets) result = result.split(value).join(`\${${name}}`);
  return result;
}

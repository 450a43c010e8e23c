import { REDACTED, isSecretName, redactText, secretValues } from "../secrets/index.js";

// MLflow keeps a param value of up to 6,000 characters; longer ones (a long list of modules) are cut.
const MAX_VALUE = 6000;

/**
 * The resolved config as flat params (`training.learning_rate` → "0.002"), with secrets redacted: a value
 * under a secret-named key, any value of a secret-named environment variable that `${VAR}` put in, and the
 * credentials of any URL. Nothing else decides what is logged, so one test of this covers every system.
 */
export function configParams(config: object, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const secrets = secretValues(env);
  const params: Record<string, string> = {};
  for (const [key, value] of flatten(config, "")) {
    const last = key.split(".").at(-1) ?? key;
    const text = isSecretName(last) ? REDACTED : redactText(value, secrets);
    params[key] = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  }
  return params;
}

function* flatten(value: unknown, prefix: string): Generator<[string, string]> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      yield* flatten(inner, prefix ? `${prefix}.${key}` : key);
    return;
  }
  if (value === undefined || prefix === "") return;
  yield [prefix, typeof value === "string" ? value : JSON.stringify(value)];
}

// Secrets kept out of what is shown, logged or sent: webhook URLs (notify), tokens in the environment, and
// the credentials a config value may carry (tracking params, run comparisons).
export { redactUrl, scrub } from "./redact-url.js";
export { REDACTED, isSecretName, secretValues, redactText, redactUrlCredentials } from "./redact-text.js";
